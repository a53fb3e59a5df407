import { TeamsInfo, TurnContext, type ConversationReference } from "botbuilder";
import { z } from "zod";
import type { Governor } from "../../governor/governor.js";
import type { GovernorInput } from "../../governor/inputs.js";
import type { Logger } from "../../logger.js";
import { joinKey } from "../../meetings/join-key.js";
import type { MeetingLinks } from "../meeting-links.js";

export interface MeetingEventDeps {
  governor: Governor;
  links: MeetingLinks;
  remember: (
    tenantId: string,
    personId: string,
    reference: Partial<ConversationReference>,
  ) => Promise<void>;
  logger: Logger;
}

export const MEETING_EVENTS = {
  start: "application/vnd.microsoft.meetingStart",
  end: "application/vnd.microsoft.meetingEnd",
  join: "application/vnd.microsoft.meetingParticipantJoin",
  leave: "application/vnd.microsoft.meetingParticipantLeave",
} as const;

/** Teams sends these values in PascalCase (meeting-apps-apis.md); the fields we use. */
const startEndValue = z.looseObject({ JoinUrl: z.string().optional(), Id: z.string().optional() });
const membersValue = z.looseObject({
  members: z
    .array(
      z.looseObject({
        user: z.looseObject({
          id: z.string().min(1),
          name: z.string().optional(),
          aadObjectId: z.string().min(1).optional(),
        }),
      }),
    )
    .max(500),
});

/** The Teams meeting id of an event in a meeting (`channelData.meeting.id`). */
const meetingIdOf = (ctx: TurnContext) =>
  (ctx.activity.channelData as { meeting?: { id?: unknown } } | undefined)?.meeting?.id;

/**
 * Finds our meeting for a Teams meeting event: by the Teams meeting id once linked, else by the
 * join URL (in the start/end payload, or from the meeting-details API for join/leave), linking it.
 */
async function resolveMeeting(
  ctx: TurnContext,
  tenantId: string,
  teamsMeetingId: string,
  deps: MeetingEventDeps,
): Promise<string | undefined> {
  const linked = await deps.links.find(tenantId, "teams-meeting", teamsMeetingId);
  if (linked) return linked;
  let joinUrl = startEndValue.safeParse(ctx.activity.value).data?.JoinUrl;
  if (!joinUrl) {
    const info = await TeamsInfo.getMeetingInfo(ctx, teamsMeetingId).catch(() => undefined);
    joinUrl = info?.details.joinUrl;
  }
  if (!joinUrl) return undefined;
  const meetingId = await deps.links.find(tenantId, "join", joinKey(joinUrl));
  if (meetingId) await deps.links.link(tenantId, "teams-meeting", teamsMeetingId, meetingId);
  return meetingId;
}

/** The participant's mail address, to match against invitees; undefined when Teams will not say. */
async function emailOf(ctx: TurnContext, userId: string): Promise<string | undefined> {
  const member = await TeamsInfo.getMember(ctx, userId).catch(() => undefined);
  return member?.email ?? member?.userPrincipalName ?? undefined;
}

/**
 * Meeting start, end, join and leave (R-ADMIT, R-REC, R-POST, R-ATT). Events arrive late, twice
 * or never: each becomes a governor event keyed by the activity id (and the person), and the
 * lifecycle treats a repeated start or end as nothing new.
 */
export async function handleMeetingEvent(
  ctx: TurnContext,
  tenantId: string,
  deps: MeetingEventDeps,
): Promise<void> {
  const activity = ctx.activity;
  const teamsMeetingId = meetingIdOf(ctx);
  if (typeof teamsMeetingId !== "string" || teamsMeetingId === "") {
    deps.logger.warn("teams.meeting_event_without_meeting", { activity: activity.name });
    return;
  }
  const meetingId = await resolveMeeting(ctx, tenantId, teamsMeetingId, deps);
  if (!meetingId) {
    deps.logger.info("teams.meeting_unknown", { activity: activity.name, tenant: tenantId });
    return;
  }
  // The meeting chat: where the tier notice and the consent cards go.
  await deps.remember(
    tenantId,
    `meeting:${meetingId}`,
    TurnContext.getConversationReference(activity),
  );
  const at = new Date(activity.timestamp ?? Date.now()).toISOString();
  const handle = (suffix: string, input: GovernorInput) =>
    deps.governor.handle(
      {
        eventId: `teams:${activity.id ?? at}${suffix}`,
        tenantId,
        meetingId,
        actor: "system:teams",
      },
      input,
    );
  switch (activity.name) {
    case MEETING_EVENTS.start:
      await handle("", { type: "start" });
      return;
    case MEETING_EVENTS.end:
      await handle("", { type: "end" });
      return;
    case MEETING_EVENTS.join:
    case MEETING_EVENTS.leave: {
      const parsed = membersValue.safeParse(activity.value);
      if (!parsed.success) {
        deps.logger.warn("teams.meeting_event_bad_value", { activity: activity.name });
        return;
      }
      for (const { user } of parsed.data.members) {
        // Anonymous and federated users have no AAD object id: their Teams id stands in.
        const personId = user.aadObjectId ? `aad:${user.aadObjectId}` : `teams:${user.id}`;
        if (activity.name === MEETING_EVENTS.leave) {
          await handle(`:${personId}`, { type: "participant-left", personId, at });
          continue;
        }
        const email = await emailOf(ctx, user.id);
        await handle(`:${personId}`, {
          type: "participant-joined",
          participant: {
            id: personId,
            mri: user.id,
            ...(user.name ? { name: user.name } : {}),
            ...(email ? { email } : {}),
          },
          at,
        });
      }
      return;
    }
  }
}
