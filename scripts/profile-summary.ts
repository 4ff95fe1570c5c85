// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. `BENCH_CPU_PROFILE=dir npm run
// bench:load`): the functions and the packages where the samples fell, by self time.
//   node --import tsx scripts/profile-summary.ts <file.cpuprofile> [top] [total-filter]
// With a filter (a substring of a function name or file), it also lists total time (self plus
// callees) of the matching functions: where a request's time goes, not only where it ends.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, topArgument, totalFilter] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile-summary <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArgument ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as {
  nodes: ProfileNode[];
  samples: number[];
};

const hits = new Map<number, number>();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const total = profile.samples.length;

/** Where a frame's code lives: a package, the app's own build, Node itself, or V8. */
function owner(url: string): string {
  if (!url) return "(v8 / native)";
  if (url.startsWith("node:")) return "node:internal";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  return url.includes("/.next/") ? "app (.next build)" : url;
}

const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
for (const node of profile.nodes) {
  const count = hits.get(node.id) ?? 0;
  if (count === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*node_modules\//, "")}:${lineNumber + 1}` : "";
  const name = `${functionName || "(anonymous)"} ${where}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  byOwner.set(owner(url), (byOwner.get(owner(url)) ?? 0) + count);
}

const share = (count: number) => `${((count / total) * 100).toFixed(1)}%`;
const rank = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);

console.log(`${total} samples\n\nself time by package:`);
for (const [name, count] of rank(byOwner)) console.log(`  ${share(count).padStart(6)}  ${name}`);
console.log("\nself time by function:");
for (const [name, count] of rank(byFunction)) console.log(`  ${share(count).padStart(6)}  ${name}`);

if (totalFilter) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const nameOf = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "")}:${lineNumber + 1}`;
  };
  const totals = new Map<string, number>();
  for (const [id, count] of hits) {
    // Each function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = nodes.get(at);
      if (!node) break;
      const name = nameOf(node);
      if (!name.includes(totalFilter) || seen.has(name)) continue;
      seen.add(name);
      totals.set(name, (totals.get(name) ?? 0) + count);
    }
  }
  console.log(`\ntotal time of functions matching "${totalFilter}":`);
  for (const [name, count] of rank(totals)) console.log(`  ${share(count).padStart(6)}  ${name}`);
}
