import { ConfigInvalidError } from "../config/app.js";
import type { LoadedPolicy } from "../policy/load.js";
import type { Database } from "../store/db.js";
import { PlaygroundClock } from "./clock.js";
import { meetingClockRoutes, type ClockTarget } from "./meeting-clock.js";
import { startLocalMicrosoft, type LocalMicrosoft } from "./microsoft.js";
import { startLocalWebex } from "./webex.js";
import { PERSONAS, PLAYGROUND_TENANT, teamsPerson, type Persona } from "./personas.js";
import { playgroundRoutes, withPlaygroundDirectory } from "./playground.js";
import { LOOPBACK_HOSTS, admitUnsigned } from "./unsigned.js";

/**
 * Local mode (`npm start` without Teams credentials): the playground page at `/`, the Microsoft
 * side simulated on loopback, the bot unchanged. Refuses to listen anywhere but loopback: nothing
 * here is authenticated against the real Microsoft, so it must not be reachable from outside.
 */
export async function startLocalMode(host: string, policy: LoadedPolicy) {
  if (!LOOPBACK_HOSTS.has(host))
    throw new ConfigInvalidError("HOST", "local mode listens on 127.0.0.1, ::1 or localhost only");
  const people = (Object.keys(PERSONAS) as Persona[]).map(teamsPerson);
  const microsoft: LocalMicrosoft = await startLocalMicrosoft(PLAYGROUND_TENANT, people);
  const webex = await startLocalWebex(
    PLAYGROUND_TENANT,
    (Object.keys(PERSONAS) as Persona[]).map((p) => ({
      email: PERSONAS[p].email,
      name: PERSONAS[p].name,
      uuid: PERSONAS[p].aad,
    })),
  );
  // The Webex SDK asks its service catalogue (U2C) when first loaded: here, the simulated Webex.
  process.env.U2C_SERVICE_URL ??= `${webex.base}/u2c/api/v1`;
  const clock = new PlaygroundClock();
  let target: ClockTarget | undefined;
  return {
    teams: microsoft.teams,
    /** The Webex channel pointed at the simulated Webex (both platforms serve one tenant). */
    webex: webex.config,
    /** The app's clock in local mode: the playground's meeting clock moves it on. */
    clock,
    /** Calendars are watched soon after a persona first writes (production: every 15 min). */
    subscriptionCheckMs: 3_000,
    policy: { ...policy, policy: withPlaygroundDirectory(policy.policy) },
    routes: [
      ...playgroundRoutes(microsoft, webex, () => target?.botUrl ?? "", clock),
      ...meetingClockRoutes(microsoft, webex, clock, () => target),
    ],
    /** Activities without a token, as Microsoft's own local tools send them. */
    unsigned: (body: unknown, remoteAddress: string | undefined) =>
      admitUnsigned(microsoft, PLAYGROUND_TENANT, body, remoteAddress),
    /**
     * The running app, once it listens: the page's messages are posted to its URL, the meeting
     * clock reads its store and wakes its timer worker.
     */
    listening: (app: { url: string; db: Database; wakeTimers: () => void }) => {
      target = { botUrl: app.url, db: app.db, wakeTimers: app.wakeTimers };
      webex.deliverTo(app.url);
      microsoft.graph.deliverTo(app.url);
    },
    stop: async () => {
      await Promise.all([microsoft.stop(), webex.stop()]);
    },
  };
}
