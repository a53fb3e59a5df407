import { readFileSync, readdirSync } from "node:fs";

/**
 * CPU time of the processes named `postgres` on this machine and the machine's idle time, ms
 * (from /proc; zero where there is none): where a PostgreSQL turn's time goes besides the server.
 */
export function machineCpu(): { pgMs: number; idleMs: number } {
  const tick = 10; // USER_HZ is 100 on Linux
  let pgMs = 0;
  let idleMs = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
        const fields = stat.slice(close + 2).split(" ");
        pgMs += (Number(fields[11]) + Number(fields[12])) * tick;
      } catch {
        // gone meanwhile
      }
    }
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]?.split(/\s+/) ?? [];
    idleMs = (Number(cpu[4]) + Number(cpu[5])) * tick;
  } catch {
    // not Linux
  }
  return { pgMs, idleMs };
}
