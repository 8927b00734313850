import { SingleBar } from "cli-progress";

export interface LoadProgress {
  /** `done` units so far, `busyMs` spent in the database (the rate shown is done / busyMs). */
  update(done: number, busyMs: number): void;
  stop(): void;
}

/** A progress bar on stderr; without a terminal (background runs, logs) a line every 5 s. */
export function loadProgress(label: string, total: number, unit: string): LoadProgress {
  const bar = new SingleBar({
    format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s in the database | {eta_formatted} left`,
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5_000,
  });
  bar.start(total, 0, { rate: "0" });
  return {
    update(done, busyMs) {
      bar.update(done, { rate: busyMs > 0 ? Math.round((done / busyMs) * 1_000).toLocaleString("en-US") : "0" });
    },
    stop() {
      bar.stop();
    },
  };
}
