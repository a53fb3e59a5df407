import { z } from "zod";
import { serviceIdSchema } from "../policy/schema.js";
import { incidentKinds } from "../governor/inputs.js";

const toggle = z
  .enum(["true", "false"])
  .default("false")
  .transform((v) => v === "true");

/**
 * A calendar date that exists (2027-02-30 is not rolled over to 2 March) and a time of day
 * 00:00–23:59: card data is what a signed-in user controls, whatever the client's Input.Date and
 * Input.Time enforce.
 */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
  }, "no such date");
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** The schedule card's inputs as Teams sends them (all strings), checked and typed. */
export const scheduleInputSchema = z.object({
  title: z.string().trim().min(1).max(200),
  date: calendarDate,
  time: timeOfDay,
  duration: z.coerce.number().int().min(5).max(1440).default(60),
  service: serviceIdSchema,
  invitees: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(/[,、\s]+/)
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(z.email()).max(300)),
  external: toggle,
  personalInfo: toggle,
  recording: toggle,
  departmentDevice: toggle,
  committee: toggle,
  fallbackContact: z.string().trim().max(200).default(""),
  department: z.string().max(64).optional(),
});
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;

/** Start and end as UTC ISO times; the card's date and time are Japan time (UTC+9). */
export function meetingTimes(input: ScheduleInput): { startsAt: string; endsAt: string } {
  const start = new Date(`${input.date}T${input.time}:00+09:00`);
  return {
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + input.duration * 60_000).toISOString(),
  };
}

export const tierInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  tier: z.enum(["I", "II", "III", "unknown"]),
});

export const requestInputSchema = z.object({ requestId: z.string().min(1).max(100) });

export const incidentInputSchema = z.object({
  kind: z.enum(incidentKinds),
  meeting: z.string().trim().max(200).optional(),
  description: z.string().trim().min(1).max(2000),
});

export const recordingInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  recordingId: z.string().min(1).max(200),
});

export const consentInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  answer: z.enum(["agree", "refuse"]),
  cardVersion: z.coerce.number().int().min(1).max(1000).default(1),
});

export const cleanupInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  itemId: z.string().min(1).max(100),
  /** The organizer states the recordings were moved elsewhere (R-POST 2). */
  moved: z.enum(["true", "false"]).optional(),
  /** For the device logbook item (R-DEV): which department device, used by whom. */
  deviceId: z.string().max(64).optional(),
  userName: z.string().trim().max(100).optional(),
});

export const approvalInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  kind: z.enum([
    "external-participants",
    "external-host",
    "personal-information-consultation",
    "tier-decision",
  ]),
  decision: z.enum(["approved", "refused"]),
  tier: z.enum(["I", "II", "III"]).optional(),
  reason: z.string().trim().max(500).optional(),
});
