import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/*
 * Summarises a V8 CPU profile written by `npm run bench -- --cpu-prof DIR`: where Muster's process spent
 * its time, by package or Muster module (self time) and by function (self and total time).
 *
 *   node dist/bench/summarize-profile.js DIR/CPU.….cpuprofile [top]
 */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Time spent, in milliseconds, under a name. */
export interface ProfileEntry {
  readonly name: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

/** Where a frame's code lives: a package, a Muster module folder, Node itself, or V8's own entries. */
export function areaOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1]!;
  const muster = /\/dist\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (muster) return muster[1]!;
  if (url.startsWith("node:")) return "node internals";
  return url;
}

/** Self time by area and self/total time by function, busiest first, from a parsed profile. */
export function summarizeProfile(profile: CpuProfile): { busyMs: number; areas: ProfileEntry[]; functions: ProfileEntry[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const areas = new Map<string, number>();
  const functions = new Map<string, { self: number; total: number }>();
  let busyMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    if (area !== "(idle)") busyMs += ms;
    const key = `${functionName || "(anonymous)"} ${area}:${lineNumber + 1}`;
    const entry = functions.get(key) ?? { self: 0, total: 0 };
    entry.self += ms;
    functions.set(key, entry);
    // Total time: each distinct function on the stack once (recursion is not counted twice).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const name = `${frame.functionName || "(anonymous)"} ${areaOf(frame.url, frame.functionName)}:${frame.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      const total = functions.get(name) ?? { self: 0, total: 0 };
      total.total += ms;
      functions.set(name, total);
    }
  }
  const sorted = (entries: ProfileEntry[], key: "selfMs" | "totalMs") => entries.sort((a, b) => b[key] - a[key]);
  return {
    busyMs,
    areas: sorted([...areas].map(([name, ms]) => ({ name, selfMs: ms, totalMs: ms })), "selfMs"),
    functions: sorted([...functions].map(([name, times]) => ({ name, selfMs: times.self, totalMs: times.total })), "selfMs"),
  };
}

function main(): void {
  const [file, topText] = process.argv.slice(2);
  if (!file) throw new Error("usage: summarize-profile FILE.cpuprofile [top]");
  const top = Number(topText ?? 25);
  const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  const percent = (ms: number) => `${((ms / summary.busyMs) * 100).toFixed(1).padStart(5)}%`;
  process.stdout.write(`busy ${summary.busyMs.toFixed(0)} ms (idle excluded)\n\nself time by package or module:\n`);
  for (const area of summary.areas.filter((entry) => entry.name !== "(idle)").slice(0, top)) process.stdout.write(`  ${percent(area.selfMs)}  ${area.name}\n`);
  // V8's pseudo-frames (root, idle, program) only wrap or stand beside the real work.
  const real = summary.functions.filter((entry) => !/^\((root|idle|program)\) /.test(entry.name));
  process.stdout.write(`\nfunctions by self time:\n`);
  for (const entry of real.slice(0, top)) process.stdout.write(`  ${percent(entry.selfMs)} self ${percent(entry.totalMs)} total  ${entry.name}\n`);
  process.stdout.write(`\nfunctions by total time:\n`);
  for (const entry of [...real].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) process.stdout.write(`  ${percent(entry.totalMs)} total  ${entry.name}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
