// Runs every benchmark in sequence and prints their figures; record them in docs/benchmarks.md.
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";

console.log(
  `date ${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model}; ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
);
for (const bench of ["cold-start.ts", "api-latency.ts", "log-metrics.ts"]) {
  console.log(`\n## ${bench}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", `bench/${bench}`], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
