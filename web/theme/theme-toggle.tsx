"use client";

import { useEffect, useState } from "react";

type ThemeChoice = "system" | "light" | "dark";

const KEY = "pedigree.theme";
const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const LABEL: Record<ThemeChoice, string> = { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" };

function applyTheme(choice: ThemeChoice): void {
  // CSS follows prefers-color-scheme unless data-theme pins light or dark.
  if (choice === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

/** Cycles system → light → dark; the choice is kept on this device. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => {
    const stored = window.localStorage.getItem(KEY);
    const initial: ThemeChoice = stored === "light" || stored === "dark" ? stored : "system";
    setChoice(initial);
    applyTheme(initial);
  }, []);
  const cycle = () => {
    const next = NEXT[choice];
    setChoice(next);
    applyTheme(next);
    window.localStorage.setItem(KEY, next);
  };
  return (
    <button type="button" className="button subtle" onClick={cycle} aria-label={`${LABEL[choice]} (change)`}>
      {LABEL[choice]}
    </button>
  );
}
