import { ConfigInvalidError } from "../config/app.js";
import type { LoadedPolicy } from "../policy/load.js";
import type { Database } from "../store/db.js";
import { PlaygroundClock } from "./clock.js";
import { meetingClockRoutes, type ClockTarget } from "./meeting-clock.js";
import { startLocalMicrosoft, type LocalMicrosoft } from "./microsoft.js";
import {
  PERSONAS,
  PLAYGROUND_TENANT,
  playgroundRoutes,
  teamsPerson,
  withPlaygroundDirectory,
  type Persona,
} from "./playground.js";
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
  const clock = new PlaygroundClock();
  let target: ClockTarget | undefined;
  return {
    teams: microsoft.teams,
    /** The app's clock in local mode: the playground's meeting clock moves it on. */
    clock,
    policy: { ...policy, policy: withPlaygroundDirectory(policy.policy) },
    routes: [
      ...playgroundRoutes(microsoft, () => target?.botUrl ?? "", clock),
      ...meetingClockRoutes(microsoft, clock, () => target),
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
    },
    stop: () => microsoft.stop(),
  };
}
