import { isIP } from "node:net";
import type { UnsignedAdmission } from "../channels/teams/endpoint.js";
import type { LocalMicrosoft } from "./microsoft.js";

/** This machine's names: where local mode may listen, and where an unsigned activity may be answered. */
export const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);

export const isLoopbackAddress = (address: string | undefined) =>
  address !== undefined &&
  isIP(address) !== 0 &&
  (address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127."));

function loopbackUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      LOOPBACK_HOSTS.has(url.hostname.replace(/^\[(.*)\]$/, "$1"))
    );
  } catch {
    return false;
  }
}

/**
 * The Bot Framework's no-credentials convention, in local mode only: Microsoft 365 Agents
 * Playground and the Bot Framework Emulator send activities without an Authorization header when
 * the bot has no app id, and expect the answer at the activity's serviceUrl. Such an activity is
 * taken only from loopback and only when its serviceUrl is on loopback too (otherwise the bot
 * would post tokens and meeting data to whatever host the request named). It belongs to the local
 * tenant — the Emulator sends none, the Agents Playground its own mock one, and only the local
 * tenant has a (simulated) Graph — and it is handed to the bot with a channel token the
 * simulated Bot Framework signs for that serviceUrl, so the JWT check and everything after it run
 * as for any other activity.
 */
export function admitUnsigned(
  microsoft: LocalMicrosoft,
  tenantId: string,
  body: unknown,
  remoteAddress: string | undefined,
): UnsignedAdmission {
  if (!isLoopbackAddress(remoteAddress))
    return {
      ok: false,
      code: "NOT_LOOPBACK",
      detail:
        "署名のないアクティビティはループバックからのみ受け付けます / unsigned activities are taken from loopback only",
    };
  const activity = { ...(body as Record<string, unknown>) };
  if (!loopbackUrl(activity.serviceUrl))
    return {
      ok: false,
      code: "SERVICE_URL_NOT_LOOPBACK",
      detail:
        "ローカルモードでは署名のないアクティビティの serviceUrl はループバックに限ります / in local mode an unsigned activity's serviceUrl must be on loopback",
    };
  const conversation = (activity.conversation ?? {}) as Record<string, unknown>;
  const channelData = (activity.channelData ?? {}) as Record<string, unknown>;
  activity.conversation = { ...conversation, tenantId };
  activity.channelData = { ...channelData, tenant: { id: tenantId } };
  // The Emulator's user has no Entra object id: its channel id stands for the person.
  const from = activity.from as { id?: unknown; aadObjectId?: unknown } | undefined;
  if (from && typeof from.id === "string" && typeof from.aadObjectId !== "string")
    activity.from = { ...from, aadObjectId: from.id };
  return {
    ok: true,
    activity,
    authorization: `Bearer ${microsoft.channelToken(activity.serviceUrl as string)}`,
  };
}
