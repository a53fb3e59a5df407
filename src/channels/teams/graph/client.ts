import { JsonClient, type RetryPolicy, type Sleep, defaultRetry } from "../../../platform/http.js";
import type { ClientCredentialsToken } from "./token.js";
import type { OnlineMeetingPatch } from "./settings-map.js";
import {
  artifactListSchema,
  calendarEventSchema,
  eventSchema,
  onlineMeetingListSchema,
  onlineMeetingSchema,
  subscriptionSchema,
  type CalendarEvent,
  type CalendarEventDetail,
  type MeetingArtifact,
  type OnlineMeeting,
  type Subscription,
} from "./schemas.js";

export interface NewCalendarMeeting {
  subject: string;
  bodyHtml: string;
  /** Local wall time in `timeZone`, e.g. 2026-12-01T10:00:00 */
  start: string;
  end: string;
  timeZone: string;
  attendees: { address: string; name?: string }[];
  /** Graph's idempotency key for event creation: a retried create returns the same event. */
  transactionId?: string;
}

/** Graph `evolvable enum` members such as lobby scope `invited` need this header to be read back. */
const UNKNOWN_ENUMS = { prefer: "include-unknown-enum-members" };

/**
 * The Microsoft Graph calls kaigi-guard makes, app-only. Recordings and transcripts are only
 * reachable for calendar-backed meetings, so meetings are created as events with
 * `isOnlineMeeting` and their onlineMeeting found by JoinWebUrl.
 */
export class GraphClient {
  private readonly http: JsonClient;

  constructor(
    private readonly baseUrl: string,
    private readonly token: ClientCredentialsToken,
    retry: RetryPolicy = defaultRetry,
    sleep?: Sleep,
  ) {
    this.http = new JsonClient("graph", retry, sleep);
  }

  private async auth(extra: Record<string, string> = {}) {
    return { authorization: `Bearer ${await this.token.get()}`, ...extra };
  }

  private url(path: string) {
    return `${this.baseUrl.replace(/\/$/, "")}${path}`;
  }

  private meetingPath(organizerId: string, meetingId: string) {
    return `/users/${encodeURIComponent(organizerId)}/onlineMeetings/${encodeURIComponent(meetingId)}`;
  }

  async createEvent(organizerId: string, meeting: NewCalendarMeeting): Promise<CalendarEvent> {
    return this.http.request({
      method: "POST",
      url: this.url(`/users/${encodeURIComponent(organizerId)}/events`),
      headers: await this.auth({ prefer: `outlook.timezone="${meeting.timeZone}"` }),
      body: {
        subject: meeting.subject,
        body: { contentType: "HTML", content: meeting.bodyHtml },
        start: { dateTime: meeting.start, timeZone: meeting.timeZone },
        end: { dateTime: meeting.end, timeZone: meeting.timeZone },
        attendees: meeting.attendees.map((a) => ({
          emailAddress: { address: a.address, ...(a.name ? { name: a.name } : {}) },
          type: "required",
        })),
        allowNewTimeProposals: false,
        isOnlineMeeting: true,
        onlineMeetingProvider: "teamsForBusiness",
        ...(meeting.transactionId ? { transactionId: meeting.transactionId } : {}),
      },
      schema: eventSchema,
    });
  }

  /** One event, with times in UTC, as a change notification names it. */
  async getEvent(userId: string, eventId: string): Promise<CalendarEventDetail> {
    const select =
      "subject,start,end,isOnlineMeeting,onlineMeetingProvider,onlineMeeting,isOrganizer,isCancelled,transactionId,attendees,organizer";
    return this.http.request({
      method: "GET",
      url: this.url(
        `/users/${encodeURIComponent(userId)}/events/${encodeURIComponent(eventId)}?$select=${select}`,
      ),
      headers: await this.auth({ prefer: 'outlook.timezone="UTC"' }),
      schema: calendarEventSchema,
    });
  }

  async findOnlineMeetingByJoinUrl(
    organizerId: string,
    joinUrl: string,
  ): Promise<OnlineMeeting | undefined> {
    const filter = encodeURIComponent(`JoinWebUrl eq '${joinUrl}'`);
    const list = await this.http.request({
      method: "GET",
      url: this.url(`/users/${encodeURIComponent(organizerId)}/onlineMeetings?$filter=${filter}`),
      headers: await this.auth(UNKNOWN_ENUMS),
      schema: onlineMeetingListSchema,
    });
    return list.value[0];
  }

  async patchOnlineMeeting(
    organizerId: string,
    meetingId: string,
    patch: OnlineMeetingPatch,
  ): Promise<void> {
    await this.http.request({
      method: "PATCH",
      url: this.url(this.meetingPath(organizerId, meetingId)),
      headers: await this.auth(UNKNOWN_ENUMS),
      body: patch,
      schema: onlineMeetingSchema,
    });
  }

  async getOnlineMeeting(organizerId: string, meetingId: string): Promise<OnlineMeeting> {
    return this.http.request({
      method: "GET",
      url: this.url(this.meetingPath(organizerId, meetingId)),
      headers: await this.auth(UNKNOWN_ENUMS),
      schema: onlineMeetingSchema,
    });
  }

  async listRecordings(organizerId: string, meetingId: string): Promise<MeetingArtifact[]> {
    return this.listArtifacts(organizerId, meetingId, "recordings");
  }

  async listTranscripts(organizerId: string, meetingId: string): Promise<MeetingArtifact[]> {
    return this.listArtifacts(organizerId, meetingId, "transcripts");
  }

  private async listArtifacts(
    organizerId: string,
    meetingId: string,
    kind: "recordings" | "transcripts",
  ) {
    const list = await this.http.request({
      method: "GET",
      url: this.url(`${this.meetingPath(organizerId, meetingId)}/${kind}`),
      headers: await this.auth(),
      schema: artifactListSchema,
    });
    return list.value;
  }

  async createSubscription(input: {
    resource: string;
    notificationUrl: string;
    clientState: string;
    expirationDateTime: string;
    /** Default `created,updated` (calendar events). */
    changeType?: string;
    lifecycleNotificationUrl?: string;
  }): Promise<Subscription> {
    return this.http.request({
      method: "POST",
      url: this.url("/subscriptions"),
      headers: await this.auth(),
      body: { changeType: "created,updated", ...input },
      schema: subscriptionSchema,
    });
  }

  async renewSubscription(id: string, expirationDateTime: string): Promise<Subscription> {
    return this.http.request({
      method: "PATCH",
      url: this.url(`/subscriptions/${encodeURIComponent(id)}`),
      headers: await this.auth(),
      body: { expirationDateTime },
      schema: subscriptionSchema,
    });
  }
}
