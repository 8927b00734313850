"use client";

import { useEffect, useId, useState } from "react";

function formatMoment(ms: number): string {
  return `${new Date(ms).toISOString().replace("T", " ").slice(0, 23)} UTC`;
}

/**
 * Replays lineage as of a past moment. Each stop of the slider is the instant just before one
 * change of the loaded graph (an edge began or ended), and the last stop is "now": one step left
 * undoes one change, however close together the changes were, and the answer as of that instant
 * reveals the edges that ended since (so their own changes become stops too). The value is
 * committed after the thumb rests, so dragging does not send a query per position.
 */
export function TimeSlider(props: { moments: readonly number[]; asOf: string | null; onChange: (asOf: string | null) => void }) {
  const id = useId();
  const { moments, asOf, onChange } = props;
  const nowIndex = moments.length;
  const asOfMs = asOf ? Date.parse(asOf) : null;
  // Stop i shows the graph before change i: the first change after asOf.
  const firstLater = asOfMs === null ? -1 : moments.findIndex((moment) => moment > asOfMs);
  const committed = firstLater === -1 ? nowIndex : firstLater;
  const [index, setIndex] = useState(committed);
  useEffect(() => setIndex(committed), [committed]);
  useEffect(() => {
    if (index === committed) return;
    const timer = setTimeout(() => {
      const moment = moments[index];
      onChange(index >= nowIndex || moment === undefined ? null : new Date(moment - 1).toISOString());
    }, 300);
    return () => clearTimeout(timer);
  }, [index, committed, nowIndex, moments, onChange]);
  const moment = moments[index];
  const label = index >= nowIndex || moment === undefined ? "now" : formatMoment(moment - 1);
  return (
    <div className="time-slider">
      <label htmlFor={id}>As of</label>
      <input
        id={id}
        type="range"
        min={0}
        max={nowIndex}
        step={1}
        value={index}
        onChange={(event) => setIndex(Number(event.target.value))}
        aria-valuetext={label}
        disabled={moments.length === 0}
      />
      <output htmlFor={id} data-testid="as-of-label">
        {label}
      </output>
      <button type="button" className="button subtle" onClick={() => onChange(null)} disabled={!asOf}>
        Now
      </button>
    </div>
  );
}
