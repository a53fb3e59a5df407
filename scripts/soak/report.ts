import type { Findings } from "./checks.js";

/**
 * The figures, printed last to stdout: what ran, then the checks of issue #7 as a table, each
 * with its figures, and PASS or FAIL. Returns whether every check passed.
 */
export function report(
  f: Findings,
  run: {
    seconds: number;
    drainS: number;
    speed: number;
    teamsUsers: string;
    webexUsers: string;
    answered: readonly { at: number; status: number; kind: string }[];
    made: number;
    confirmed: number;
    killWindow: { from: number; to: number } | undefined;
  },
): boolean {
  const { missing, logged, delivered, duplicates, unlogged, undelivered, lost, chains } = f;
  const { window, fivexx, outside } = f;
  const { answered, killWindow } = run;
  const checks: [string, boolean, string][] = [
    [
      "no committed log entry missing",
      missing.length === 0,
      `${String(run.confirmed)} confirmed meetings, ${String(missing.length)} without tier.declared + meeting.scheduled`,
    ],
    [
      "every reminder sent exactly once",
      duplicates.length === 0 && lost.length === 0 && unlogged.length === 0 && delivered.size > 0,
      `${String(logged.size)} logged, ${String(delivered.size)} delivered (Teams ${String([...delivered.keys()].filter((k) => k.startsWith("soak-t")).length)}, Webex ${String([...delivered.keys()].filter((k) => k.startsWith("soak-w")).length)}), ${String(duplicates.length)} delivered twice or more, ${String(undelivered.length - lost.length)} still queued at stop, ${String(lost.length)} lost, ${String(unlogged.length)} delivered without a log entry`,
    ],
    [
      "every chain verifies",
      chains.length > 0 && chains.every((c) => c.ok),
      chains
        .map(
          (c) =>
            `${c.tenantId.slice(0, 8)}… ${String(c.entries)} entries ${c.ok ? "ok" : "BROKEN"}`,
        )
        .join("; "),
    ],
    [
      "no 5xx outside the kill window",
      outside.length === 0 && killWindow !== undefined,
      `${String(fivexx.length)} 5xx in all, ${String(outside.length)} outside the ${String(window.to - window.from)} ms window`,
    ],
  ];
  const ok = checks.every(([, pass]) => pass);
  const byStatus = new Map<number, number>();
  for (const a of answered) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
  process.stdout.write(
    [
      "",
      `soak: 2 instances on PostgreSQL behind a round-robin proxy, ${String(run.seconds)} s of load (${run.teamsUsers} Teams + ${run.webexUsers} Webex organizers), clock ×${String(run.speed)}, instance B killed at ${String(Math.round(run.seconds * 0.4))} s and restarted`,
      `requests ${String(answered.length)}: Teams ${String(answered.filter((a) => a.kind === "teams").length)}, Webex ${String(answered.filter((a) => a.kind === "webex").length)} (${[...byStatus].map(([s, n]) => `${String(s)}: ${String(n)}`).join(", ")}); meetings started ${String(run.made)}, confirmed ${String(run.confirmed)}; reminders ran ${String(run.drainS)} s more after the load`,
      "| check | result | figures |",
      "| --- | --- | --- |",
      ...checks.map(
        ([name, pass, figures]) => `| ${name} | ${pass ? "PASS" : "FAIL"} | ${figures} |`,
      ),
      ok ? "soak: PASS" : "soak: FAIL",
      "",
    ].join("\n"),
  );
  return ok;
}
