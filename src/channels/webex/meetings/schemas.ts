import { z } from "zod";

/** The Webex Meetings fields we rely on (camelCase, case-sensitive, some irregular names). */
export const webexMeetingSchema = z.object({
  id: z.string().min(1),
  meetingNumber: z.string().optional(),
  title: z.string(),
  meetingType: z.string().optional(),
  state: z.string().optional(),
  start: z.string(),
  end: z.string(),
  hostEmail: z.string().optional(),
  webLink: z.url().optional(),
  enabledAutoRecordMeeting: z.boolean().optional(),
  enabledJoinBeforeHost: z.boolean().optional(),
  enableConnectAudioBeforeHost: z.boolean().optional(),
  unlockedMeetingJoinSecurity: z.string().optional(),
  enableAutomaticLock: z.boolean().optional(),
  automaticLockMinutes: z.number().optional(),
  allowAnyUserToBeCoHost: z.boolean().optional(),
  allowFirstUserToBeCoHost: z.boolean().optional(),
  publicMeeting: z.boolean().optional(),
  integrationTags: z.array(z.string()).optional(),
});
export type WebexMeeting = z.infer<typeof webexMeetingSchema>;

export const webexRecordingSchema = z.object({
  id: z.string().min(1),
  meetingId: z.string().optional(),
  meetingSeriesId: z.string().optional(),
  topic: z.string().optional(),
  createTime: z.string().optional(),
  playbackUrl: z.string().optional(),
  status: z.string().optional(),
});
export type WebexRecording = z.infer<typeof webexRecordingSchema>;
export const webexRecordingListSchema = z.object({ items: z.array(webexRecordingSchema) });
