import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkImports, readImports } from "../../scripts/import-layers.js";

const src = path.resolve(import.meta.dirname, "../../src");

describe("the import graph of src/ (docs/ARCHITECTURE.md, Layers)", () => {
  it("has every arrow pointing down, no channel importing another, no circle", () => {
    const { edges, packages } = readImports(src);
    expect(edges.length).toBeGreaterThan(500);
    expect(checkImports(edges, packages)).toEqual([]);
  });

  it("sees type-only imports, re-exports and dynamic imports", () => {
    const { edges } = readImports(src);
    // A type-only import and a re-export, both of which the tree has.
    expect(edges).toContainEqual({ from: "store/group-commit.ts", to: "store/handle.ts" });
    expect(edges).toContainEqual({ from: "meetings/state.ts", to: "policy/tiers.ts" });
  });

  it("refuses an import from a lower layer up to a higher one", () => {
    expect(checkImports([{ from: "policy/evaluate.ts", to: "meetings/state.ts" }], [])).toEqual([
      "policy/evaluate.ts imports meetings/state.ts: policy/ (layer 1) is below meetings/",
    ]);
    expect(
      checkImports([{ from: "store/db.ts", to: "channels/conversation.ts" }], []),
    ).toHaveLength(1);
  });

  it("refuses an import from one channel into the other", () => {
    expect(
      checkImports(
        [{ from: "channels/webex/channel.ts", to: "channels/teams/meeting-events.ts" }],
        [],
      ),
    ).toEqual([
      "channels/webex/channel.ts imports channels/teams/meeting-events.ts: channels/webex/ and channels/teams/ are siblings",
    ]);
  });

  it("refuses a circle, even inside one part", () => {
    const problems = checkImports(
      [
        { from: "store/db.ts", to: "store/group-commit.ts" },
        { from: "store/group-commit.ts", to: "store/compiled.ts" },
        { from: "store/compiled.ts", to: "store/db.ts" },
      ],
      [],
    );
    expect(problems).toEqual([
      "import circle: store/compiled.ts → store/db.ts → store/group-commit.ts → store/compiled.ts",
    ]);
  });

  it("lets only the Teams channel import botbuilder, only the Webex channel its framework", () => {
    expect(
      checkImports(
        [],
        [
          { from: "http/server.ts", specifier: "botbuilder" },
          { from: "channels/teams/bot.ts", specifier: "botbuilder" },
          { from: "channels/conversation.ts", specifier: "botframework-connector/lib/auth" },
          { from: "admin/routes.ts", specifier: "webex-node-bot-framework" },
        ],
      ),
    ).toEqual([
      "http/server.ts imports botbuilder: only channels/teams/ may",
      "channels/conversation.ts imports botframework-connector: only channels/teams/ may",
      "admin/routes.ts imports webex-node-bot-framework: only channels/webex/ may",
    ]);
  });

  it("refuses a file in no layer (a new folder must be placed)", () => {
    expect(checkImports([{ from: "reports/monthly.ts", to: "text.ts" }], [])).toEqual([
      "reports/monthly.ts: in no layer (add its folder to LAYERS)",
    ]);
  });
});
