import { ConfigInvalidError } from "../config/app.js";
import type { LoadedPolicy } from "../policy/load.js";
import { startLocalMicrosoft, type LocalMicrosoft } from "./microsoft.js";
import { PLAYGROUND_TENANT, playgroundRoutes, withPlaygroundDirectory } from "./playground.js";
import { LOOPBACK_HOSTS, admitUnsigned } from "./unsigned.js";

/**
 * Local mode (`npm start` without Teams credentials): the playground page at `/`, the Microsoft
 * side simulated on loopback, the bot unchanged. Refuses to listen anywhere but loopback: nothing
 * here is authenticated against the real Microsoft, so it must not be reachable from outside.
 */
export async function startLocalMode(host: string, policy: LoadedPolicy) {
  if (!LOOPBACK_HOSTS.has(host))
    throw new ConfigInvalidError("HOST", "local mode listens on 127.0.0.1, ::1 or localhost only");
  const microsoft: LocalMicrosoft = await startLocalMicrosoft(PLAYGROUND_TENANT);
  let botUrl = "";
  return {
    teams: microsoft.teams,
    policy: { ...policy, policy: withPlaygroundDirectory(policy.policy) },
    routes: playgroundRoutes(microsoft, () => botUrl),
    /** Activities without a token, as Microsoft's own local tools send them. */
    unsigned: (body: unknown, remoteAddress: string | undefined) =>
      admitUnsigned(microsoft, PLAYGROUND_TENANT, body, remoteAddress),
    /** The bot's own base URL, once it listens: the page's messages are posted there. */
    listening: (url: string) => {
      botUrl = url;
    },
    stop: () => microsoft.stop(),
  };
}
