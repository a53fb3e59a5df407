import { z } from "zod";
import { JsonClient, defaultRetry, type RetryPolicy, type Sleep } from "../../../platform/http.js";
import {
  webexMeetingSchema,
  webexRecordingListSchema,
  type WebexMeeting,
  type WebexRecording,
} from "./schemas.js";
import type { WebexMeetingOptions } from "./settings-map.js";

export interface NewWebexMeeting {
  title: string;
  agenda: string;
  /** ISO 8601 with offset, e.g. 2026-12-01T10:00:00+09:00 */
  start: string;
  end: string;
  timezone: string;
  hostEmail: string;
  invitees: { email: string; displayName?: string }[];
  integrationTag: string;
}

/**
 * Webex Meetings REST with the credentials of an Integration or Service App that has admin
 * scopes and acts for the host (`hostEmail`); separate from the bot's messaging token.
 */
export class WebexMeetingsClient {
  private readonly http: JsonClient;

  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: () => Promise<string>,
    retry: RetryPolicy = defaultRetry,
    sleep?: Sleep,
  ) {
    this.http = new JsonClient("webex", retry, sleep);
  }

  private async headers() {
    return { authorization: `Bearer ${await this.accessToken()}` };
  }

  private url(path: string, query: Record<string, string> = {}) {
    const qs = new URLSearchParams(query).toString();
    return `${this.baseUrl.replace(/\/$/, "")}${path}${qs ? `?${qs}` : ""}`;
  }

  async createMeeting(
    meeting: NewWebexMeeting,
    options: WebexMeetingOptions,
  ): Promise<WebexMeeting> {
    const { integrationTag, invitees, ...rest } = meeting;
    return this.http.request({
      method: "POST",
      url: this.url("/meetings"),
      headers: await this.headers(),
      body: {
        ...rest,
        ...options,
        excludePassword: false,
        invitees: invitees.map((i) => ({ ...i, coHost: false, panelist: false })),
        sendEmail: true,
        integrationTags: [integrationTag],
        scheduledType: "meeting",
      },
      schema: webexMeetingSchema,
    });
  }

  async getMeeting(meetingId: string, hostEmail: string): Promise<WebexMeeting> {
    return this.http.request({
      method: "GET",
      url: this.url(`/meetings/${encodeURIComponent(meetingId)}`, { hostEmail }),
      headers: await this.headers(),
      schema: webexMeetingSchema,
    });
  }

  async listRecordings(meetingId: string, hostEmail: string): Promise<WebexRecording[]> {
    const list = await this.http.request({
      method: "GET",
      url: this.url("/recordings", { meetingId, hostEmail }),
      headers: await this.headers(),
      schema: webexRecordingListSchema,
    });
    return list.items;
  }

  /** Who is in the meeting or waiting in its lobby (`state: "lobby"`). */
  async listParticipants(meetingId: string, hostEmail: string) {
    const list = await this.http.request({
      method: "GET",
      url: this.url("/meetingParticipants", { meetingId, hostEmail }),
      headers: await this.headers(),
      schema: z.object({
        items: z.array(
          z.object({ id: z.string(), email: z.string().optional(), state: z.string().optional() }),
        ),
      }),
    });
    return list.items;
  }

  /** Lets people in from the lobby (the host's power, used only for invitees). */
  async admit(participantIds: string[]): Promise<void> {
    await this.http.request({
      method: "POST",
      url: this.url("/meetingParticipants/admit"),
      headers: await this.headers(),
      body: { items: participantIds.map((participantId) => ({ participantId })) },
    });
  }

  /** Webex lets the bot delete a recording (unlike Graph); the caller re-lists to verify it is gone. */
  async deleteRecording(recordingId: string, hostEmail: string): Promise<void> {
    await this.http.request({
      method: "DELETE",
      url: this.url(`/recordings/${encodeURIComponent(recordingId)}`, { hostEmail }),
      headers: await this.headers(),
    });
  }
}
