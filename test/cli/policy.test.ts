import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { tempFiles } from "../_util.js";

async function cli(args: string[], cwd = process.cwd()) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

describe("kaigi-guard policy check", () => {
  it("--json gives the verdict with the fields other tools rely on", async () => {
    const { code, stdout } = await cli([
      "policy",
      "check",
      "--policy",
      "kawasaki",
      "--tier",
      "I",
      "--service",
      "teams",
      "--participants",
      "6",
      "--external",
      "--json",
    ]);
    expect(code).toBe(0);
    const verdict = JSON.parse(stdout) as Record<string, unknown>;
    expect(verdict).toMatchObject({
      allowed: true,
      refusals: [],
      warnings: [expect.objectContaining({ code: "teams-e2e-one-to-one", cite: "KWS 3 ※3" })],
      approvals: [
        expect.objectContaining({ kind: "external-participants", cite: "KSS 第9章2(5)イ" }),
      ],
      settings: {
        lobby: expect.objectContaining({
          value: { enabled: true, bypass: "invited" },
          cite: "KWS 4(3)ア",
        }),
        e2e: expect.objectContaining({ value: false }),
        fileTransfer: expect.objectContaining({ value: false, cite: "KWS 4(3)オ" }),
      },
      consentMode: expect.objectContaining({ value: "consent-or-notice", cite: "KWS 4(3)エ" }),
      cleanup: expect.arrayContaining([
        expect.objectContaining({ id: "cloud-data", cite: "KWS 4(4)" }),
      ]),
    });
  });

  it("exits 0 for a refusal too, and says why in Japanese by default", async () => {
    const { code, stdout } = await cli([
      "policy",
      "check",
      "--policy",
      "musashino",
      "--tier",
      "II",
      "--service",
      "zoom",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("判定: 利用できません");
    expect(stdout).toContain("[MWG 5(2)1]");
  });

  it("--lang en gives English", async () => {
    const { stdout } = await cli([
      "policy",
      "check",
      "--tier",
      "III",
      "--service",
      "webex",
      "--lang",
      "en",
    ]);
    expect(stdout).toContain("Verdict: allowed");
  });

  it.each([
    [["--tier", "IV", "--service", "webex"], "--tier"],
    [["--service", "webex"], "--tier"],
    [["--tier", "I"], "--service"],
    [["--tier", "I", "--service", "webex", "--participants", "many"], "--participants"],
    [["--tier", "I", "--service", "webex", "--participants", "0"], "--participants"],
    [["--tier", "I", "--service", "webex", "--colour"], "--colour"],
    [["--tier", "I", "--service", "webex", "--lang", "fr"], "--lang"],
  ])("bad arguments %j → exit 2 naming %s", async (args, named) => {
    const { code, stderr, stdout } = await cli(["policy", "check", ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error BAD_ARGUMENT: /);
    expect(stderr).toContain(named);
    expect(stdout).toBe("");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("kaigi-guard policy validate", () => {
  it("exits 0 on a shipped preset and on a valid municipality file", async () => {
    const dir = tempFiles({ "city.yaml": "id: city\nextends: kawasaki\n" });
    expect((await cli(["policy", "validate", "city.yaml"], dir)).code).toBe(0);
    expect((await cli(["policy", "validate", "policies/musashino.yaml"])).stdout).toContain(
      "standard → musashino",
    );
  });

  it("exits 1 listing every problem by path, never a stack trace", async () => {
    const dir = tempFiles({
      "bad.yaml": "extends: standard\nservices:\n  teams:\n    e2e: maybe\n  skype: {}\n",
    });
    const { code, stderr } = await cli(["policy", "validate", "bad.yaml"], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('services.teams.e2e: expected one of "yes", "no", "one-to-one"');
    expect(stderr).toContain('services: unknown service "skype"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("kaigi-guard policy show", () => {
  it("prints the effective layered policy", async () => {
    const { code, stdout } = await cli(["policy", "show", "musashino", "--json"]);
    expect(code).toBe(0);
    const shown = JSON.parse(stdout) as {
      layers: string[];
      policy: { hostedServices: { allowed: string[] } };
    };
    expect(shown.layers).toEqual(["standard", "musashino"]);
    expect(shown.policy.hostedServices.allowed).toEqual(["webex"]);
  });
});

describe("the kaigi-guard binary", () => {
  it("runs as a process: exit codes and output as documented", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { encoding: "utf8" });
    const ok = run("policy", "check", "--tier", "I", "--service", "webex", "--json");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ allowed: true });
    const bad = run("policy", "check", "--tier", "I");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--service");
    const unknown = run("frobnicate");
    expect(unknown.status).toBe(2);
  });
});

describe("command names are looked up as names, never as object properties", () => {
  it("'constructor', '__proto__' and 'toString' are unknown commands and subcommands (exit 2)", async () => {
    for (const args of [
      ["constructor"],
      ["__proto__"],
      ["policy", "constructor"],
      ["log", "toString"],
      ["devices", "__proto__"],
      ["attendance", "constructor"],
    ]) {
      const { code, stderr } = await cli(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr).toContain("error BAD_ARGUMENT");
    }
  });
});
