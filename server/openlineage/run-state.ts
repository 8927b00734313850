import type { RunStatus } from "../run/run-record.js";

/** One event of a run as the state fold sees it. */
export interface RunStateEvent {
  eventType: string | null;
  eventTime: Date;
}

export interface FoldedRunState {
  status: RunStatus;
  startedAt: Date | null;
  endedAt: Date | null;
}

const TERMINAL: Record<string, RunStatus> = { COMPLETE: "COMPLETED", FAIL: "FAILED", ABORT: "ABORTED" };

/**
 * A run's state from all its events, whatever order they arrived in: a terminal event (COMPLETE,
 * FAIL, ABORT) wins over START/RUNNING/OTHER, and among terminal events the latest event time wins
 * (ties: COMPLETE, then FAIL, then ABORT, so the answer never depends on arrival). The run started
 * at its earliest START (else RUNNING) event and ended at the winning terminal event.
 */
export function foldRunState(events: readonly RunStateEvent[]): FoldedRunState {
  let terminal: RunStateEvent | undefined;
  let start: Date | null = null;
  let running: Date | null = null;
  const rank = (type: string | null) => ["ABORT", "FAIL", "COMPLETE"].indexOf(type ?? "");
  for (const event of events) {
    const time = event.eventTime;
    if (event.eventType && event.eventType in TERMINAL) {
      const later = !terminal || time > terminal.eventTime;
      const tieWins =
        terminal && time.getTime() === terminal.eventTime.getTime() && rank(event.eventType) > rank(terminal.eventType);
      if (later || tieWins) terminal = event;
    } else if (event.eventType === "START") {
      if (!start || time < start) start = time;
    } else if (event.eventType === "RUNNING") {
      if (!running || time < running) running = time;
    }
  }
  const startedAt = start ?? running;
  if (terminal) return { status: TERMINAL[terminal.eventType!]!, startedAt, endedAt: terminal.eventTime };
  return { status: startedAt ? "RUNNING" : "PENDING", startedAt, endedAt: null };
}
