// The layout's import rules, read from the source itself (docs/architecture.md draws them).
// Each production module may import its own folder and the layers it lists; tests, e2e specs,
// scripts and test support may import anything but are never imported by production code.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface Layer {
  /** The folder (or root file) the layer owns. */
  name: string;
  /** Layers below it that it may import. */
  mayImport: readonly string[];
  /** Paths in other layers it may import although their layer is not listed. */
  alsoMayImport?: RegExp;
}

const SHARED = ["lib"];

export const LAYERS: readonly Layer[] = [
  // Entry points Next.js loads: pages, routes, server actions, the proxy, instrumentation.
  {
    name: "app",
    mayImport: [
      "components",
      "chat",
      "transfer",
      "auth",
      "server",
      "db",
      "ai",
      "client",
      ...SHARED,
    ],
  },
  { name: "proxy.ts", mayImport: ["auth", "server", ...SHARED] },
  { name: "instrumentation.ts", mayImport: ["auth", "server", "db", "ai", ...SHARED] },
  { name: "next.config.ts", mayImport: ["server", ...SHARED] },
  // React. A client component calls the server through a server action's reference, the
  // one import that points back up into app/.
  {
    name: "components",
    mayImport: ["client", ...SHARED],
    alsoMayImport: /^app\/(.+\/)?actions$/,
  },
  // Domain modules: each joins server/, db/ and ai/; none imports another.
  { name: "chat", mayImport: ["server", "db", "ai", ...SHARED] },
  { name: "transfer", mayImport: ["server", "db", ...SHARED] },
  { name: "auth", mayImport: ["server", "db", ...SHARED] },
  // Request plumbing for the server: env, the process's database handle, HTTP, limits.
  { name: "server", mayImport: ["db", ...SHARED] },
  { name: "db", mayImport: SHARED },
  { name: "ai", mayImport: SHARED },
  // Browser state, no React.
  { name: "client", mayImport: SHARED },
  // Pure helpers both sides use.
  { name: "lib", mayImport: [] },
];

/** Packages a layer owns: no other production layer imports them (type-only imports aside). */
export const OWNED_PACKAGES: readonly { pattern: RegExp; owner: string }[] = [
  {
    pattern: /^(drizzle-orm|pg|@electric-sql\/pglite|@neondatabase\/serverless)(\/|$)/,
    owner: "db",
  },
  { pattern: /^(ai|@ai-sdk\/.+)(\/|$)/, owner: "ai" },
  { pattern: /^next-auth(\/|$)|^@auth\//, owner: "auth" },
];

/** Folders that hold no production code. */
const NOT_PRODUCTION = /^(test|e2e|scripts)\/|\.test\.tsx?$|^[^/]+\.config\.ts$/;

export interface ImportEdge {
  from: string;
  /** A module path (no extension) inside the project, or a package name. */
  to: string;
  typeOnly: boolean;
  local: boolean;
}

export interface Violation {
  edge: ImportEdge;
  reason: string;
}

const layerOf = (file: string) =>
  LAYERS.find((layer) => file === layer.name || file.startsWith(`${layer.name}/`));

/** The rule each production import breaks, if any. */
export function checkImports(edges: readonly ImportEdge[]): Violation[] {
  const violations: Violation[] = [];
  for (const edge of edges) {
    const reason = brokenRule(edge);
    if (reason) violations.push({ edge, reason });
  }
  return violations;
}

function brokenRule(edge: ImportEdge): string | null {
  if (NOT_PRODUCTION.test(edge.from)) return null;
  const from = layerOf(edge.from);
  if (!from) return `${edge.from} is in no layer: add its folder to test/architecture/layers.ts`;
  if (!edge.local) {
    const owned = OWNED_PACKAGES.find((entry) => entry.pattern.test(edge.to));
    if (!owned || owned.owner === from.name || edge.typeOnly) return null;
    return `${edge.to} belongs to ${owned.owner}/; call it through that layer`;
  }
  if (NOT_PRODUCTION.test(edge.to)) return "production code never imports tests or scripts";
  const to = layerOf(edge.to);
  if (!to) return `${edge.to} is in no layer`;
  if (edge.to === "db/schema" && from.name !== "db") {
    return "the tables are private to db/; call a repository function";
  }
  if (to === from || from.mayImport.includes(to.name)) return null;
  if (from.alsoMayImport?.test(edge.to)) return null;
  return `${from.name}/ may not import ${to.name}/ (allowed: ${from.mayImport.join(", ") || "nothing outside itself"})`;
}

/** Import cycles among production modules, each as the list of modules around it. */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!edge.local || NOT_PRODUCTION.test(edge.from) || edge.typeOnly) continue;
    const from = edge.from.replace(/\.tsx?$/, "");
    next.set(from, [...(next.get(from) ?? []), edge.to]);
  }
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const target of next.get(node) ?? []) {
      if (state.get(target) === "open") cycles.push(stack.slice(stack.indexOf(target)));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of next.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

const IMPORT =
  /(?:^|[;\s])(import|export)\s+(type\s+)?(?:[^;"'`]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Every import in one source file, resolved against the project's files. */
export function importsOf(
  file: string,
  source: string,
  resolve: (specifier: string, from: string) => string | null,
): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const specifier = match[3] ?? match[4];
    if (!specifier) continue;
    const typeOnly = Boolean(match[2]);
    const isLocal = specifier.startsWith("@/") || specifier.startsWith(".");
    if (!isLocal) {
      edges.push({ from: file, to: specifier, typeOnly, local: false });
      continue;
    }
    const target = resolve(specifier, file);
    if (target) edges.push({ from: file, to: target, typeOnly, local: true });
  }
  return edges;
}

const SKIPPED_FOLDERS = new Set(["node_modules", ".next", ".data", ".git", "test-results"]);

/** The project's TypeScript files, relative to `root`. */
export function sourceFiles(root: string, folder = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith(".")) continue;
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...sourceFiles(root, relative));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(relative);
  }
  return files;
}

/** Every import edge of the project at `root`. */
export function projectImports(root: string): ImportEdge[] {
  const files = sourceFiles(root);
  const modules = new Set(files.map((file) => file.replace(/\.tsx?$/, "")));
  const resolve = (specifier: string, from: string) => {
    const target = specifier.startsWith("@/")
      ? specifier.slice(2)
      : path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    const bare = target.replace(/\.(tsx?|js)$/, "");
    if (modules.has(bare)) return bare;
    if (modules.has(`${bare}/index`)) return `${bare}/index`;
    return null;
  };
  return files.flatMap((file) =>
    importsOf(file, readFileSync(path.join(root, file), "utf8"), resolve),
  );
}
