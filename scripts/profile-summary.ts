// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. `BENCH_CPU_PROFILE=dir npm run
// bench:load`): the functions and the packages where the samples fell, by self time.
//   node --import tsx scripts/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, topArgument] = process.argv.slice(2);
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
