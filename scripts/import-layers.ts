import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The layers of src/, lowest first (docs/ARCHITECTURE.md draws them). A file may import from its
 * own part and from parts of lower layers only; two parts of one layer never import each other
 * (the Teams and the Webex channel are siblings: what both need lives below them). Each pattern
 * is a path under src/: a folder ("store/"), the files directly in one ("channels/*"), or one
 * file ("text.ts").
 */
export const LAYERS: readonly (readonly string[])[] = [
  [
    "text.ts",
    "errors.ts",
    "frozen.ts",
    "clock.ts",
    "japan-time.ts",
    "package-root.ts",
    "platform/",
  ],
  ["policy/"],
  ["meetings/"],
  ["governor/"],
  ["cards/"],
  ["store/"],
  ["config/"],
  ["logger.ts", "csv.ts"],
  ["http/"],
  ["channels/*"],
  ["channels/teams/", "channels/webex/"],
  ["admin/"],
  ["local/", "teams-package/", "cli/"],
  ["app.ts"],
  ["main.ts", "cli.ts"],
];

/** Packages only one part may import: the SDK of a platform stays inside its channel. */
export const PACKAGE_OWNERS: Readonly<Record<string, string>> = {
  botbuilder: "channels/teams/",
  "botbuilder-core": "channels/teams/",
  "botframework-connector": "channels/teams/",
  "botframework-schema": "channels/teams/",
  "webex-node-bot-framework": "channels/webex/",
};

export interface ImportEdge {
  /** Paths relative to src/, with "/" separators. */
  from: string;
  to: string;
}

export interface PackageImport {
  from: string;
  specifier: string;
}

/** Every import of the .ts files under `srcDir`: between its files, and of packages. */
export function readImports(srcDir: string): { edges: ImportEdge[]; packages: PackageImport[] } {
  const edges: ImportEdge[] = [];
  const packages: PackageImport[] = [];
  for (const file of listFiles(srcDir)) {
    const text = fs.readFileSync(path.join(srcDir, file), "utf8");
    // Static imports and re-exports, `import type` included, and dynamic `import("…")`.
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith(".")) {
        packages.push({ from: file, specifier: fileName });
        continue;
      }
      const target = path.posix.normalize(
        path.posix.join(path.posix.dirname(file), fileName.replace(/\.js$/, ".ts")),
      );
      edges.push({ from: file, to: target });
    }
  }
  return { edges, packages };
}

function listFiles(root: string, dir = ""): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listFiles(root, relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

function matches(part: string, file: string): boolean {
  if (part.endsWith("/")) return file.startsWith(part);
  if (part.endsWith("/*")) {
    const folder = part.slice(0, -1);
    return file.startsWith(folder) && !file.slice(folder.length).includes("/");
  }
  return file === part;
}

/** The part (a pattern of LAYERS) a file belongs to, and its layer's index. */
export function partOf(file: string): { part: string; layer: number } | undefined {
  for (const [layer, parts] of LAYERS.entries())
    for (const part of parts) if (matches(part, file)) return { part, layer };
  return undefined;
}

/** What runs against the layering: each problem as one line a person can act on. */
export function checkImports(edges: readonly ImportEdge[], packages: readonly PackageImport[]) {
  const problems: string[] = [];
  const files = new Set([...edges.flatMap((e) => [e.from, e.to]), ...packages.map((p) => p.from)]);
  for (const file of files)
    if (!partOf(file)) problems.push(`${file}: in no layer (add its folder to LAYERS)`);
  for (const { from, to } of edges) {
    const a = partOf(from);
    const b = partOf(to);
    if (!a || !b || a.part === b.part) continue;
    // The base layer is one part: its small modules may use each other.
    if (a.layer === 0 && b.layer === 0) continue;
    if (b.layer > a.layer)
      problems.push(`${from} imports ${to}: ${a.part} (layer ${a.layer}) is below ${b.part}`);
    else if (b.layer === a.layer)
      problems.push(`${from} imports ${to}: ${a.part} and ${b.part} are siblings`);
  }
  for (const { from, specifier } of packages) {
    const name = specifier.startsWith("@")
      ? specifier.split("/").slice(0, 2).join("/")
      : (specifier.split("/")[0] ?? specifier);
    const owner = PACKAGE_OWNERS[name];
    if (owner && !from.startsWith(owner))
      problems.push(`${from} imports ${name}: only ${owner} may`);
  }
  for (const cycle of cycles(edges)) problems.push(`import circle: ${cycle.join(" → ")}`);
  return problems;
}

/** Each circle of imports between files, once (Tarjan's strongly connected components). */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || next.get(file)?.includes(file))
      found.push(circleThrough(component, next));
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) visit(file);
  return found;
}

/** One circle through the component's first file (by name), as a path that ends where it began. */
function circleThrough(component: readonly string[], next: ReadonlyMap<string, string[]>) {
  const members = new Set(component);
  const start = [...component].sort()[0] ?? "";
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i] ?? "";
    for (const to of next.get(file) ?? []) {
      if (!members.has(to) || cameFrom.has(to)) continue;
      cameFrom.set(to, file);
      if (to === start) {
        const path = [start];
        for (let at = file; at !== start; at = cameFrom.get(at) ?? start) path.unshift(at);
        return [start, ...path];
      }
      queue.push(to);
    }
  }
  return [...component, start];
}

// `npm run check:imports`: the same check as the test, printed.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { edges, packages } = readImports(path.resolve(import.meta.dirname, "../src"));
  const problems = checkImports(edges, packages);
  for (const problem of problems) console.log(problem);
  console.log(
    `${String(edges.length)} imports between files checked; ${String(problems.length)} problems`,
  );
  process.exitCode = problems.length > 0 ? 1 : 0;
}
