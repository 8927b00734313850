// CPU time of the processes of a benchmark (Linux /proc), so a figure comes with what it cost:
// where the machine's cores went, and how far from saturated it was.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** utime + stime of a process in milliseconds, or 0 once it is gone. */
function cpuMsOfPid(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU milliseconds per process of every process whose command name is `command`. */
function cpuMsByCommand(command: string): Map<number, number> {
  const times = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) === command)
        times.set(Number(entry), cpuMsOfPid(Number(entry)));
    } catch {
      // Exited while listed.
    }
  }
  return times;
}

export interface CpuSpent {
  /** Wall-clock milliseconds the window lasted. */
  wallMs: number;
  serverMs: number;
  postgresMs: number;
  /** The benchmark's Neo4j (the JVM), projecting meanwhile. */
  neo4jMs: number;
  /** This process: the load generator. */
  clientMs: number;
  /** Share of all cores busy with these, 0–1. */
  machineBusy: number;
}

/** CPU milliseconds, since `before`, of the processes named `command`; ones started since count from zero. */
function cpuMsSince(command: string, before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of cpuMsByCommand(command)) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Starts counting the CPU of the server process, every Postgres and Java (Neo4j) process and this one. */
export function startCpuWindow(serverPid: number): () => CpuSpent {
  const started = performance.now();
  const server = cpuMsOfPid(serverPid);
  const postgres = cpuMsByCommand("postgres");
  const neo4j = cpuMsByCommand("java");
  const client = process.cpuUsage();
  return () => {
    const wallMs = performance.now() - started;
    const serverMs = cpuMsOfPid(serverPid) - server;
    const postgresMs = cpuMsSince("postgres", postgres);
    const neo4jMs = cpuMsSince("java", neo4j);
    const { user, system } = process.cpuUsage(client);
    const clientMs = (user + system) / 1000;
    return {
      wallMs,
      serverMs,
      postgresMs,
      neo4jMs,
      clientMs,
      machineBusy: (serverMs + postgresMs + neo4jMs + clientMs) / (wallMs * availableParallelism()),
    };
  };
}
