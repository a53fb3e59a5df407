import { z } from "zod";
import { textSchema } from "../text.js";

/** The services KWS 表1 and its capability table know. Any other name is refused (KWS 2(2)). */
export const serviceIds = ["webex", "zoom-gov", "zoom", "teams", "google-meet"] as const;
export const serviceIdSchema = z.enum(serviceIds);
export type ServiceId = z.infer<typeof serviceIdSchema>;

/** A citation: document id from REQUIREMENTS.md (or LOCAL for a municipality's own rule) + clause. */
export const citeSchema = z
  .string()
  .regex(/^(KWS|KSS|MWG|FSM|LGC|LOCAL) \S.*$/, "expected '<document> <clause>', e.g. 'KWS 4(3)ア'");

const tierKeys = ["I", "II", "III"] as const;

/** Who decides each approval kind: platform identities such as `aad:<object id>`. */
const approverMap = z.partialRecord(
  z.enum([
    "external-participants",
    "external-host",
    "personal-information-consultation",
    "tier-decision",
  ]),
  z.string().min(1),
);

/** The effective policy, after layering: every field present, unknown keys refused. */
function build() {
  const obj = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape);

  const cited = <S extends z.ZodRawShape>(shape: S) =>
    obj({ ...shape, cite: citeSchema, text: textSchema });

  const capability = obj({
    label: textSchema,
    tierIUsable: z.boolean(),
    ismap: z.boolean(),
    e2e: z.enum(["yes", "no", "one-to-one"]),
    japanRegion: z.boolean(),
    invitation: z.boolean(),
    waitingRoom: z.boolean(),
    forcedRemoval: z.boolean(),
    /** 情報共有機能の利用: whether the function may be used, as the table says. */
    screenShare: z.boolean(),
    chat: z.boolean(),
    recording: z.boolean(),
    fileTransfer: z.boolean(),
    notes: z.array(obj({ mark: z.string(), text: textSchema, cite: citeSchema })),
    cite: citeSchema,
  });

  const services = obj(
    Object.fromEntries(serviceIds.map((id) => [id, capability])) as Record<
      ServiceId,
      typeof capability
    >,
  );

  const tier = obj({
    label: textSchema,
    definition: textSchema,
    examples: z.array(textSchema),
    definitionCite: citeSchema,
    /** Narrow-only: a later layer may remove services, never add them. */
    allowedServices: z.array(serviceIdSchema),
    allowedServicesCite: citeSchema,
    requires: obj({ ismap: z.boolean(), japanRegion: z.boolean() }),
    e2e: z.enum(["desirable", "required-in-principle", "required"]),
    e2eCite: citeSchema,
    lobby: cited({
      enabled: z.boolean(),
      bypass: z.enum(["organizer", "invited", "organization", "everyone"]),
    }),
    presenters: cited({ value: z.enum(["organizer", "invited", "everyone"]) }),
    /** KWS 4(3)ウ: recording and transcription only as 表1 and the capability table allow. */
    recordingCite: citeSchema,
    identityCheckAtStart: z.boolean(),
    notice: textSchema,
  });

  const tiersShape = obj(
    Object.fromEntries(tierKeys.map((k) => [k, tier])) as Record<
      (typeof tierKeys)[number],
      typeof tier
    >,
  );

  const checklistItem = obj({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    when: z.enum(["always", "recording", "device", "chat", "materials"]),
    verifiedBy: z.enum(["organizer", "platform-or-organizer"]),
    /** A few words naming the item on its "done" button (the text says what to do). */
    label: textSchema.optional(),
    text: textSchema,
    cite: citeSchema,
  });

  return obj({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: textSchema,
    level: z.enum(["standard", "prefecture", "municipality"]),
    extends: z.string().optional(),
    services: services,
    tiers: tiersShape,
    /** Narrow-only: a municipality may keep fewer services for the meetings it hosts. */
    hostedServices: z
      .strictObject({
        allowed: z.array(serviceIdSchema),
        cite: citeSchema,
        text: textSchema,
      })
      .optional(),
    unknownService: cited({}),
    approvals: obj({
      externalParticipants: cited({ required: z.boolean(), approver: textSchema }),
      externalHost: cited({ required: z.boolean(), approver: textSchema }),
      personalInformation: cited({ required: z.boolean(), approver: textSchema }),
      tierDecision: cited({ approver: textSchema }),
      separationOfDuties: cited({}),
    }),
    recording: obj({
      consentMode: cited({ value: z.enum(["all-participants", "consent-or-notice"]) }),
      organizerOnly: cited({ value: z.boolean() }),
      autoRecord: cited({ value: z.boolean() }),
      e2eConflict: cited({}),
    }),
    fileTransfer: cited({ allowed: z.boolean() }),
    joinInformation: cited({}),
    identityCheck: cited({}),
    guidance: z.array(obj({ id: z.string(), text: textSchema, cite: citeSchema })),
    cleanup: z.array(checklistItem),
    reminders: cited({
      firstAfterMinutes: z.number().int().min(0),
      everyMinutes: z.number().int().min(5),
      escalateAfter: z.number().int().min(1),
    }),
    unclassifiedEscalation: cited({ minutesBeforeStart: z.number().int().min(0) }),
    /**
     * How long personal data kept beside the log (participants' names, device users' names) is
     * kept, in days; then it is erased and the chain still verifies (R-LOG 4). The 情報管理責任者
     * sets it (KSS 第8章3(2)エ). Absent: kept until erased by hand.
     */
    retention: z.strictObject({ personalDataDays: z.number().int().min(1).max(36_500) }).optional(),
    /** Approvers who do not answer are reminded; after `escalateAfter` reminders the 情報管理責任者 is told. */
    approvalReminders: cited({
      firstAfterMinutes: z.number().int().min(0),
      everyMinutes: z.number().int().min(5),
      escalateAfter: z.number().int().min(1),
    }),
    /**
     * Who decides, per approval kind: the platform identities (e.g. `aad:<object id>`) of the
     * 情報管理責任者 and the 情報公開担当 for this municipality. A deployment's own layer fills it.
     */
    directory: z
      .strictObject({
        approvers: approverMap,
        /** Who hears of an incident at once (R-INC: the supervisor and the 情報管理課 contact). */
        incidentContacts: z.array(z.string().min(1)).max(20).optional(),
        /**
         * Departments with their own approvers (R-TIER 2: the 情報管理責任者 "configured for the
         * organizer's department"); a kind a department leaves out falls back to `approvers`.
         */
        departments: z
          .record(
            z
              .string()
              .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "department ids are lowercase a-z, 0-9, -"),
            z.strictObject({
              name: textSchema,
              approvers: approverMap,
              incidentContacts: z.array(z.string().min(1)).max(20).optional(),
            }),
          )
          .optional(),
      })
      .optional(),
  });
}

export const policySchema = build();
export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** One policy file (a layer): every object field optional at any depth; lists are whole. */
export type PolicyLayer = DeepPartial<Policy>;

function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional) return deepPartial(schema.unwrap() as z.ZodType).optional();
  if (!(schema instanceof z.ZodObject)) return schema;
  const shape = Object.fromEntries(
    Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [
      key,
      deepPartial(field).optional(),
    ]),
  );
  return z.strictObject(shape);
}

export const policyLayerSchema = deepPartial(policySchema) as z.ZodType<PolicyLayer>;

export type Capability = Policy["services"][ServiceId];
export type TierRule = Policy["tiers"]["I"];
export type ChecklistItem = Policy["cleanup"][number];
