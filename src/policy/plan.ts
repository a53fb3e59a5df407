import { z } from "zod";

/** What an organizer plans; the input to `evaluate`. */
export const meetingPlanSchema = z.strictObject({
  tier: z.enum(["I", "II", "III", "unknown"]),
  /** Any string: a name outside the table is refused with the KWS 2(2) advice, not rejected. */
  service: z.string().trim().min(1),
  /** Everyone in the meeting, the organizer included; unknown when left out. */
  participants: z.number().int().min(1).optional(),
  external: z.boolean().default(false),
  /** The meeting is hosted outside the city and our staff join it. */
  externalHost: z.boolean().default(false),
  personalInfo: z.boolean().default(false),
  recording: z.boolean().default(false),
  transcription: z.boolean().default(false),
  departmentDevice: z.boolean().default(false),
});
export type MeetingPlanInput = z.input<typeof meetingPlanSchema>;
export type MeetingPlan = z.infer<typeof meetingPlanSchema>;
