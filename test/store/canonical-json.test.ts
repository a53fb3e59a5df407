import fc from "fast-check";
import { expect, it } from "vitest";
import { canonicalJson } from "../../src/store/log/chain.js";

/** The first definition (entries filtered, sorted, mapped): every entry appended so far used it. */
function reference(value: unknown): string {
  if (typeof (value as { toJSON?: unknown } | null)?.toJSON === "function")
    return reference((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(",")}}`;
  }
  const text = JSON.stringify(value) as string | undefined;
  return text ?? "null";
}

it("canonical JSON is the same text as the first definition's for every JSON value (docs/log-format.md)", () => {
  const key = fc.oneof(
    fc.string(),
    fc.constantFrom("a", "B", "é", "\u{1F600}", "\uFF21", "10", "9"),
  );
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ noInvalidDate: true }),
    ),
    node: fc.oneof({ depthSize: "small" }, tie("leaf"), tie("array"), tie("object")),
    array: fc.array(tie("node"), { maxLength: 5 }),
    object: fc.dictionary(key, tie("node"), { maxKeys: 6 }),
  }));
  fc.assert(
    fc.property(value.node, (v) => {
      expect(canonicalJson(v)).toBe(reference(v));
    }),
    { numRuns: 2000 },
  );
  expect(canonicalJson({ b: 1, a: [undefined, { d: undefined, c: "x" }] })).toBe(
    '{"a":[null,{"c":"x"}],"b":1}',
  );
  // A hole in an array is null, as JSON.stringify writes it (the first definition wrote nothing).
  const holey: unknown[] = [];
  holey[1] = 1;
  expect(canonicalJson(holey)).toBe(JSON.stringify(holey));
});
