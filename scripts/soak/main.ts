/**
 * `npm run soak` — two kaigi-guard instances on one PostgreSQL schema behind a small round-robin
 * proxy, a mixed Teams + Webex workload through the proxy, one instance killed (SIGKILL) and
 * restarted in the middle, then the checks of issue #7: no committed log entry missing, every
 * reminder sent exactly once, every chain verifies, no 5xx outside the kill window. Loopback only,
 * bounded (`--seconds` of load, then at most `--drain` seconds for reminders to finish), figures
 * printed last; exit 1 if a check fails, 2 if PostgreSQL is unreachable.
 *
 * What is fake is only what no machine here can reach (the Bot Framework, Graph, the Webex API):
 * the fakes of test/fakes, speaking the documented wire protocols. The instances' clock runs
 * `--speed` times faster than real time (leases kept as long in real time as in production) so
 * that a meeting ends, its clean-up opens and its reminders come (first 1 minute after the
 * clean-up opens, then hourly) within the run. After the load, reminders keep coming for `--drain`
 * seconds; then both instances are stopped (SIGTERM) and the platforms' records are compared with
 * the log: every reminder logged was delivered exactly once, or is still queued (not yet due to
 * go out when the instances stopped), and nothing was delivered that the log does not have.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Database } from "../../src/store/db.js";
import { chainTenants, verifyChain } from "../../src/store/log/verify.js";
import {
  BOT_TOKEN,
  botFrameworkFake,
  channelToken,
  teamsActivity,
} from "../../test/fakes/botframework.js";
import { graphFake } from "../../test/fakes/graph.js";
import { fixture, type RecordedCall } from "../../test/fakes/http-fake.js";
import { webexApiFake } from "../../test/fakes/webex-api.js";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "180" },
    drain: { type: "string", default: "45" },
    speed: { type: "string", default: "120" },
    "teams-users": { type: "string", default: "4" },
    "webex-users": { type: "string", default: "2" },
    "max-meetings": { type: "string", default: "300" },
    keep: { type: "boolean", default: false },
  },
});
const SECONDS = Number(args.seconds);
const DRAIN_S = Number(args.drain);
const SPEED = Number(args.speed);
const MAX_MEETINGS = Number(args["max-meetings"]);
const PG_URL = process.env.KAIGI_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SECRET = "soak-webhook-secret";
const T0 = Date.now();
const clockNow = () => new Date(T0 + (Date.now() - T0) * SPEED);
const say = (line: string) => process.stderr.write(`soak: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- PostgreSQL, policy, fakes
const admin = new pg.Client({ connectionString: PG_URL });
try {
  await admin.connect();
} catch {
  process.stdout.write(`soak: PostgreSQL at ${PG_URL} is unreachable; the soak needs it.\n`);
  process.exit(2);
}
const schema = `soak_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
await admin.query(`create schema ${schema}`);
const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-soak-"));
const policyFile = join(dir, "soak.yaml");
writeFileSync(
  policyFile,
  "id: soak\nextends: kawasaki\nreminders:\n  firstAfterMinutes: 1\n  everyMinutes: 60\n  escalateAfter: 2\n",
);

const bf = await botFrameworkFake();
bf.fake.on((c) =>
  c.method === "POST" &&
  /^\/login\/(?!botframework\.com\/)[^/]+\/oauth2\/v2\.0\/token$/.test(c.path)
    ? { status: 200, body: fixture("graph/token-response.json") }
    : undefined,
);
const graph = graphFake();
const graphBase = await graph.start();
const webex = webexApiFake(SECRET);
const webexBase = await webex.fake.start();

// ---------------------------------------------------------------- instances and the proxy
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => {
        resolve(port);
      });
    });
  });

interface Instance {
  name: string;
  port: number;
  child?: ChildProcess;
  up: boolean;
}
const instances: Instance[] = [
  { name: "A", port: await freePort(), up: false },
  { name: "B", port: await freePort(), up: false },
];

function start(instance: Instance): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/soak/instance.ts"], {
    env: {
      ...process.env,
      SOAK_T0: String(T0),
      SOAK_SPEED: String(SPEED),
      SOAK_PORT: String(instance.port),
      SOAK_PG_URL: PG_URL,
      SOAK_PG_SCHEMA: schema,
      SOAK_POLICY: policyFile,
      SOAK_WORKER: `soak-${instance.name}-${String(Date.now())}`,
      SOAK_BF_BASE: bf.base,
      SOAK_GRAPH_BASE: graphBase,
      SOAK_WEBEX_BASE: webexBase,
      SOAK_WEBEX_SECRET: SECRET,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  instance.child = child;
  child.stderr.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n"))
      if (line.includes('"level":"error"')) say(`${instance.name} ${line.slice(0, 300)}`);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`instance ${instance.name} did not start in 60 s`));
    }, 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        instance.up = true;
        resolve();
      }
    });
    child.once("exit", (code) => {
      instance.up = false;
      if (code !== 0 && code !== null) say(`instance ${instance.name} exited with ${String(code)}`);
    });
  });
}

/** What the load balancer saw: every answer with its time and status. */
const answered: { at: number; status: number; kind: string }[] = [];
let next = 0;
const proxy = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    // Round robin; a refused connection (nothing sent yet) is retried on the other instance,
    // as a load balancer does. A connection that breaks mid-request is a 502.
    const attempt = (tries: number) => {
      const target = instances[next++ % instances.length] as Instance;
      const up = http.request(
        {
          host: "127.0.0.1",
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED" && tries < instances.length) attempt(tries + 1);
        else if (!res.headersSent) {
          res.writeHead(502, { "content-type": "application/json" });
          res.end('{"error":{"code":"UPSTREAM_DOWN"}}');
        }
      });
      up.end(body);
    };
    attempt(1);
  });
});
await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
const proxyUrl = `http://127.0.0.1:${String((proxy.address() as AddressInfo).port)}`;

async function send(kind: string, path: string, body: string, headers: Record<string, string>) {
  try {
    const res = await fetch(`${proxyUrl}${path}`, { method: "POST", headers, body });
    const text = await res.text();
    answered.push({ at: Date.now(), status: res.status, kind });
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch {
    answered.push({ at: Date.now(), status: 599, kind });
    return { status: 599, json: {} };
  }
}

// ---------------------------------------------------------------- the workload
/** Japan date and time a few (accelerated) minutes from now, as the schedule card takes them. */
const soon = () => {
  const at = new Date(clockNow().getTime() + 3 * 60_000 + 9 * 3_600_000).toISOString();
  return { date: at.slice(0, 10), time: at.slice(11, 16) };
};
let made = 0;
const title = (channel: string) => `soak-${channel}${String(++made)}`;
/** Meetings whose tier answer and confirmation were answered 200: they must be in the log. */
const confirmed = new Map<string, string>(); // meeting id → title

type CardAnswer = { value?: { actions?: { data?: { requestId?: string } }[] } };
let activityN = 0;
const teamsInvoke = (verb: string, data: Record<string, unknown>) => {
  const activity = teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
    id: `soak:${String(++activityN)}`,
    value: { action: { type: "Action.Execute", title: "x", verb, data }, trigger: "manual" },
  });
  return send("teams", "/api/messages", JSON.stringify(activity), {
    "content-type": "application/json",
    authorization: `Bearer ${channelToken(bf.serviceUrl)}`,
  });
};

async function teamsMeeting(): Promise<void> {
  const name = title("t");
  const card = await teamsInvoke("schedule.submit", {
    title: name,
    ...soon(),
    duration: "30",
    service: "teams",
    invitees: "ken.sato@city.example.lg.jp",
  });
  const id = (card.json as CardAnswer).value?.actions?.[0]?.data?.requestId;
  if (card.status !== 200 || !id) return;
  if ((await teamsInvoke("tier.submit", { requestId: id, tier: "II" })).status !== 200) return;
  if ((await teamsInvoke("meeting.confirm", { requestId: id })).status === 200)
    confirmed.set(id, name);
}

const webexPeople = Array.from({ length: Number(args["webex-users"]) }, (_, i) =>
  webex.addPerson(`soak-${String(i)}@city.example.lg.jp`, `検証 ${String(i)}`),
);
const deliverWebex = (body: unknown) => {
  const { raw, signature } = webex.sign(body);
  return send("webex", "/api/webex", raw, {
    "content-type": "application/json",
    "x-spark-signature": signature,
  });
};
/** The newest card the bot posted to this person since `from` that offers `verb`. */
const cardTo = (person: (typeof webexPeople)[number], room: string, from: number, verb: string) =>
  webex
    .posted()
    .slice(from)
    .filter((c) => {
      const j = c.json as {
        toPersonEmail?: string;
        roomId?: string;
        attachments?: { content?: { actions?: { data?: { verb?: string } }[] } }[];
      };
      return (
        (j.toPersonEmail === person.emails[0] || j.roomId === room) &&
        (j.attachments?.[0]?.content?.actions ?? []).some((a) => a.data?.verb === verb)
      );
    })
    .at(-1);

async function webexMeeting(person: (typeof webexPeople)[number]): Promise<void> {
  const name = title("w");
  let from = webex.posted().length;
  const hello = webex.say(person, "予約");
  const room = String((hello.data as { roomId?: string }).roomId);
  if ((await deliverWebex(hello)).status !== 200) return;
  const press = async (
    message: RecordedCall | undefined,
    inputs: Record<string, unknown>,
    expect: string,
  ) => {
    if (!message) return undefined;
    from = webex.posted().length;
    const res = await deliverWebex(webex.press(person, webex.idOf(message), inputs));
    return res.status === 200 ? cardTo(person, room, from, expect) : undefined;
  };
  const tierCard = await press(
    cardTo(person, room, from, "schedule.submit"),
    {
      verb: "schedule.submit",
      title: name,
      ...soon(),
      duration: "30",
      service: "webex",
      invitees: "",
    },
    "tier.submit",
  );
  const id = (tierCard?.json as { attachments?: { content: CardAnswer["value"] }[] } | undefined)
    ?.attachments?.[0]?.content?.actions?.[0]?.data?.requestId;
  if (!id) return;
  const verdict = await press(
    tierCard,
    { verb: "tier.submit", requestId: id, tier: "II" },
    "meeting.confirm",
  );
  if (!verdict) return;
  const ok = await deliverWebex(
    webex.press(person, webex.idOf(verdict), { verb: "meeting.confirm", requestId: id }),
  );
  if (ok.status === 200) confirmed.set(id, name);
}

// ---------------------------------------------------------------- the run
say(`schema ${schema}; starting two instances`);
await Promise.all(instances.map(start));
const loadEnds = Date.now() + SECONDS * 1000;
let killWindow: { from: number; to: number } | undefined;
const kill = (async () => {
  await sleep(SECONDS * 400);
  const victim = instances[1] as Instance;
  const from = Date.now();
  victim.child?.kill("SIGKILL");
  victim.up = false;
  say(`killed instance ${victim.name}`);
  await sleep(3_000);
  await start(victim);
  killWindow = { from, to: Date.now() + 1_000 };
  say(`instance ${victim.name} back after ${String(Date.now() - from)} ms`);
})();
const users = [
  ...Array.from({ length: Number(args["teams-users"]) }, () => teamsMeeting),
  ...webexPeople.map((p) => () => webexMeeting(p)),
];
// Each organizer starts a meeting at a steady pace, so the meetings spread over the load.
const everyMs = (SECONDS * 1000 * users.length) / MAX_MEETINGS;
await Promise.all(
  users.map(async (one) => {
    while (Date.now() < loadEnds && made < MAX_MEETINGS) {
      const began = Date.now();
      await one();
      await sleep(Math.max(0, everyMs - (Date.now() - began)));
    }
  }),
);
await kill;
say(`load done: ${String(made)} meetings started, ${String(confirmed.size)} confirmed; draining`);

// Reminders keep coming while the instances run; then both stop gracefully.
await sleep(DRAIN_S * 1000);
await Promise.all(
  instances.map(
    (i) =>
      new Promise<void>((resolve) => {
        if (!i.child || i.child.exitCode !== null) {
          resolve();
          return;
        }
        i.child.once("exit", () => {
          resolve();
        });
        i.child.kill("SIGTERM");
      }),
  ),
);
const db = await Database.open({ kind: "postgres", url: PG_URL, schema });

// ---------------------------------------------------------------- the checks
const logRows = await db.kysely
  .selectFrom("log_entries")
  .select(["tenant_id", "meeting_id", "action", "payload"])
  .execute();
const actionsOf = (meetingId: string) =>
  logRows.filter((r) => r.meeting_id === meetingId).map((r) => r.action);
const missing = [...confirmed.keys()].filter((id) => {
  const a = actionsOf(id);
  return !a.includes("tier.declared") || !a.includes("meeting.scheduled");
});

// Reminders the platforms received, by meeting title and number, against the log's.
const reminderKey = (text: string): string[] => {
  const n = /（(\d+)回目のお知らせ）/.exec(text)?.[1];
  const name = /soak-[tw]\d+/.exec(text)?.[0];
  return n && name ? [`${name}#${n}`] : [];
};
const delivered = new Map<string, number>();
const callsOf = new Map<string, string[]>();
// Only what the platforms accepted counts as delivered (the connector refuses a wrong token).
const accepted = bf
  .replies()
  .filter((c) => c.method === "POST" && c.headers.authorization === `Bearer ${BOT_TOKEN}`);
for (const call of [...accepted, ...webex.posted()])
  for (const key of reminderKey(JSON.stringify(call.json))) {
    delivered.set(key, (delivered.get(key) ?? 0) + 1);
    callsOf.set(key, [...(callsOf.get(key) ?? []), `${call.method} ${call.path}`]);
  }
// Every meeting the store has (a confirmation can be committed and its answer lost in the kill).
const titleOf = new Map(
  (await db.kysely.selectFrom("meetings").select(["id", "data"]).execute()).map((m) => [
    m.id,
    (JSON.parse(m.data) as { title?: string }).title ?? m.id,
  ]),
);
const loggedTimes = new Map<string, number>();
for (const r of logRows)
  if (r.action === "reminder.sent" && r.meeting_id && titleOf.has(r.meeting_id)) {
    const key = `${titleOf.get(r.meeting_id) ?? ""}#${String((JSON.parse(r.payload) as { n: number }).n)}`;
    loggedTimes.set(key, (loggedTimes.get(key) ?? 0) + 1);
  }
const loggedTwice = [...loggedTimes].filter(([, n]) => n > 1).map(([k]) => k);
if (loggedTwice.length > 0) say(`logged twice: ${loggedTwice.slice(0, 5).join(", ")}`);
const logged = new Set(
  logRows
    .filter((r) => r.action === "reminder.sent" && r.meeting_id && titleOf.has(r.meeting_id))
    .map(
      (r) =>
        `${titleOf.get(r.meeting_id ?? "") ?? ""}#${String((JSON.parse(r.payload) as { n: number }).n)}`,
    ),
);
const duplicates = [...delivered].filter(([, n]) => n > 1).map(([k]) => k);
for (const key of duplicates.slice(0, 3))
  say(`delivered twice: ${key}: ${(callsOf.get(key) ?? []).join(" | ")}`);
const unlogged = [...delivered.keys()].filter((k) => !logged.has(k));
// A reminder logged but not delivered must still be waiting in the outbox (its row was written in
// the same transaction as its log entry), never lost.
type Queued = { meetingId?: string; template?: string; data?: { n?: number } };
const queued = new Set(
  (await db.kysely.selectFrom("outbox").select("payload").where("state", "!=", "done").execute())
    .map((r) => JSON.parse(r.payload) as Queued)
    .filter((p) => p.template === "cleanup-reminder")
    .map((p) => `${titleOf.get(p.meetingId ?? "") ?? ""}#${String(p.data?.n)}`),
);
const undelivered = [...logged].filter((k) => !delivered.has(k));
const lost = undelivered.filter((k) => !queued.has(k));

const chains = await Promise.all((await chainTenants(db.kysely)).map((t) => verifyChain(db, t)));
const window = killWindow ?? { from: 0, to: 0 };
const fivexx = answered.filter((a) => a.status >= 500);
const outside = fivexx.filter((a) => a.at < window.from || a.at > window.to);

await db.close();
if (args.keep) say(`schema ${schema} kept`);
else await admin.query(`drop schema ${schema} cascade`);
await admin.end();
proxy.close();
await Promise.all([bf.fake.stop(), graph.stop(), webex.fake.stop()]);
rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------- figures, last
const checks: [string, boolean, string][] = [
  [
    "no committed log entry missing",
    missing.length === 0,
    `${String(confirmed.size)} confirmed meetings, ${String(missing.length)} without tier.declared + meeting.scheduled`,
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
        (c) => `${c.tenantId.slice(0, 8)}… ${String(c.entries)} entries ${c.ok ? "ok" : "BROKEN"}`,
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
    `soak: 2 instances on PostgreSQL behind a round-robin proxy, ${String(SECONDS)} s of load (${args["teams-users"]} Teams + ${args["webex-users"]} Webex organizers), clock ×${String(SPEED)}, instance B killed at ${String(Math.round(SECONDS * 0.4))} s and restarted`,
    `requests ${String(answered.length)}: Teams ${String(answered.filter((a) => a.kind === "teams").length)}, Webex ${String(answered.filter((a) => a.kind === "webex").length)} (${[...byStatus].map(([s, n]) => `${String(s)}: ${String(n)}`).join(", ")}); meetings started ${String(made)}, confirmed ${String(confirmed.size)}; reminders ran ${String(DRAIN_S)} s more after the load`,
    "| check | result | figures |",
    "| --- | --- | --- |",
    ...checks.map(
      ([name, pass, figures]) => `| ${name} | ${pass ? "PASS" : "FAIL"} | ${figures} |`,
    ),
    ok ? "soak: PASS" : "soak: FAIL",
    "",
  ].join("\n"),
);
process.exit(ok ? 0 : 1);
