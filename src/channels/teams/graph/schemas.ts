import { z } from "zod";

/** The parts of Graph's answers we rely on; everything else passes through unread. */
export const lobbyBypassSchema = z.object({
  scope: z.string(),
  isDialInBypassEnabled: z.boolean().nullable().optional(),
});

export const onlineMeetingSchema = z.object({
  id: z.string().min(1),
  joinWebUrl: z.url(),
  subject: z.string().nullable().optional(),
  startDateTime: z.string().nullable().optional(),
  endDateTime: z.string().nullable().optional(),
  allowedPresenters: z.string().nullable().optional(),
  allowMeetingChat: z.string().nullable().optional(),
  allowRecording: z.boolean().nullable().optional(),
  allowTranscription: z.boolean().nullable().optional(),
  recordAutomatically: z.boolean().nullable().optional(),
  allowCopyingAndSharingMeetingContent: z.boolean().nullable().optional(),
  allowedLobbyAdmitters: z.string().nullable().optional(),
  lobbyBypassSettings: lobbyBypassSchema.nullable().optional(),
  chatInfo: z.object({ threadId: z.string() }).nullable().optional(),
});
export type OnlineMeeting = z.infer<typeof onlineMeetingSchema>;

export const onlineMeetingListSchema = z.object({ value: z.array(onlineMeetingSchema) });

export const eventSchema = z.object({
  id: z.string().min(1),
  iCalUId: z.string().optional(),
  subject: z.string().nullable().optional(),
  isOnlineMeeting: z.boolean().optional(),
  onlineMeeting: z.object({ joinUrl: z.url() }).nullable().optional(),
});
export type CalendarEvent = z.infer<typeof eventSchema>;

const dateTimeTimeZone = z.object({ dateTime: z.string().min(1), timeZone: z.string() });

/** An event as read when a change notification names it (`$select`ed fields only). */
export const calendarEventSchema = eventSchema.extend({
  start: dateTimeTimeZone,
  end: dateTimeTimeZone,
  isOrganizer: z.boolean().optional(),
  isCancelled: z.boolean().optional(),
  onlineMeetingProvider: z.string().nullable().optional(),
  transactionId: z.string().nullable().optional(),
  attendees: z
    .array(z.object({ emailAddress: z.object({ address: z.string().optional() }).optional() }))
    .default([]),
  organizer: z
    .object({ emailAddress: z.object({ address: z.string().optional() }).optional() })
    .optional(),
});
export type CalendarEventDetail = z.infer<typeof calendarEventSchema>;

const artifactSchema = z.object({
  id: z.string().min(1),
  meetingId: z.string().optional(),
  createdDateTime: z.string().optional(),
  recordingContentUrl: z.string().optional(),
  transcriptContentUrl: z.string().optional(),
});
export type MeetingArtifact = z.infer<typeof artifactSchema>;
export const artifactListSchema = z.object({ value: z.array(artifactSchema) });

export const subscriptionSchema = z.object({
  id: z.string().min(1),
  resource: z.string(),
  expirationDateTime: z.string(),
  clientState: z.string().nullable().optional(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;
