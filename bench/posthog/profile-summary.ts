// Where a CPU profile's time went, optionally within a window: self time by function and by file, and
// inclusive time by function. For the capture-rate profiles (BENCH_POSTHOG_PROFILE=<dir> npm run bench:posthog):
// Usage: node --experimental-strip-types profile-summary.ts <file.cpuprofile> [<window.json>] [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, windowFile, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [<window.json>] [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const [from, to] = windowFile
  ? (JSON.parse(readFileSync(windowFile, 'utf8')) as [number, number])
  : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
const top = Number(topArg ?? 25);

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
};
const fileOf = (node: ProfileNode) =>
  node.callFrame.url.split('/').slice(-3).join('/') || node.callFrame.functionName;

const self = new Map<string, number>();
const byFile = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);
let total = 0;
let at = profile.startTime;
profile.samples.forEach((id, index) => {
  at += profile.timeDeltas[index] ?? 0;
  // A sample's time is the gap to the next one.
  const spent = profile.timeDeltas[index + 1] ?? 0;
  if (at < from || at > to) return;
  const node = nodes.get(id)!;
  total += spent;
  add(self, label(node), spent);
  add(byFile, fileOf(node), spent);
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
    const key = label(nodes.get(current)!);
    if (!seen.has(key)) add(inclusive, key, spent);
    seen.add(key);
  }
});

const print = (title: string, map: Map<string, number>) => {
  console.log(`--- ${title}`);
  for (const [key, value] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * value) / total).toFixed(1).padStart(5)} %  ${(value / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
  }
};
console.log(`${(total / 1e6).toFixed(2)} s sampled${windowFile ? ' in the window' : ''}`);
print('self time by function', self);
print('self time by file', byFile);
print('inclusive time by function', inclusive);
