import type { z } from "zod";
import { KaigiError } from "../errors.js";
import { serviceIds } from "./schema.js";

/** One thing wrong in a policy file, located by its path inside the file. */
export interface PolicyProblem {
  file: string;
  path: string;
  message: string;
}

/** A policy that cannot be used; nothing of it is loaded. */
export class PolicyInvalidError extends KaigiError {
  readonly problems: readonly PolicyProblem[];

  constructor(problems: PolicyProblem[]) {
    super(
      "POLICY_INVALID",
      problems.map((p) => `${p.file}: ${p.path || "(file)"}: ${p.message}`).join("\n"),
    );
    this.problems = problems;
  }
}

export class PolicyNotFoundError extends KaigiError {
  constructor(ref: string) {
    super("POLICY_NOT_FOUND", `no preset or file named ${ref}`, { ref });
  }
}

/** Turns zod issues into problems a person can act on. */
export function problemsFromZod(file: string, error: z.ZodError): PolicyProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return { file, path, message: describe(path, issue) };
  });
}

function describe(path: string, issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    return path === "services" || /^tiers\.(I|II|III)\.allowedServices/.test(path)
      ? `unknown service ${keys}: expected one of ${serviceIds.join(", ")}`
      : `unknown field ${keys}`;
  }
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) {
    return `required, missing (expected ${issue.expected})`;
  }
  if (issue.code === "invalid_value") {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return issue.message;
}
