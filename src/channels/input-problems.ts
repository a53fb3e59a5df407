import type { z } from "zod";
import type { FieldTable, InputProblem, ProblemKind } from "../cards/input-problems.js";

/** A typed value as it is quoted back to the person: text only, and not a page of it. */
const quoted = (v: unknown): string | undefined => {
  const s = typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : undefined;
  if (s === undefined || s === "") return undefined;
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** One input's problem, as a handler finds it (a department not in the directory, a name missing). */
export function inputProblem(
  field: string,
  typed: unknown,
  kind: Exclude<ProblemKind, "required"> = "invalid",
): InputProblem {
  const shown = quoted(typed);
  return { field, kind: isBlank(typed) ? "required" : kind, typed: shown ? [shown] : [] };
}

function kindOf(
  issue: z.core.$ZodIssue,
  typed: unknown,
): Pick<InputProblem, "kind" | "max" | "count"> {
  if (issue.path.length > 1) return { kind: "invalid" };
  if (isBlank(typed)) return { kind: "required" };
  if (issue.code === "too_big" && issue.origin === "string" && typeof typed === "string")
    return { kind: "too-long", max: Number(issue.maximum), count: typed.trim().length };
  if (issue.code === "too_big" && issue.origin === "array" && Array.isArray(issue.input))
    return { kind: "too-many", max: Number(issue.maximum), count: issue.input.length };
  if (issue.code === "invalid_value") return { kind: "not-a-choice" };
  return { kind: "invalid" };
}

/**
 * The problems of a card's data, one per input, from a failed parse (made with `reportInput`):
 * an issue on an input of `fields` says what the person should fix; any other is the card's own
 * data. The validator's own wording is never passed on.
 */
export function problemsOf(
  error: z.ZodError,
  typed: Readonly<Record<string, unknown>>,
  fields: FieldTable,
): InputProblem[] {
  const byField = new Map<string, InputProblem>();
  for (const issue of error.issues) {
    const top = issue.path[0];
    if (typeof top !== "string" || !Object.hasOwn(fields, top)) {
      const field = issue.path.map(String).join(".");
      byField.set(`card:${field}`, { field, kind: "card-data", typed: [] });
      continue;
    }
    const raw = typed[top];
    // An element of a list (an invitee address) is quoted as the element, not the whole box.
    const shown = quoted(issue.path.length > 1 ? issue.input : raw);
    const known = byField.get(top);
    if (known) {
      if (issue.path.length > 1 && known.kind === "invalid" && shown && known.typed.length < 5)
        known.typed.push(shown);
      continue;
    }
    byField.set(top, { field: top, ...kindOf(issue, raw), typed: shown ? [shown] : [] });
  }
  return [...byField.values()];
}
