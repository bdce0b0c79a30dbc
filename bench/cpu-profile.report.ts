/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): where the time went, by function and by
 * package, self time and time including callees, so that a hot spot is named without a viewer.
 *
 *   node --import ./bench/register.js bench/cpu-profile.report.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsText] = process.argv.slice(2);
if (!file) {
  process.stderr.write(
    'Usage: node --import ./bench/register.js bench/cpu-profile.report.ts <file.cpuprofile> [rows]\n',
  );
  process.exit(2);
}
const rows = Number(rowsText ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) parentOf.set(child, node.id);
}

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfMicros.set(
    id,
    (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0),
  );
});
const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);

const selfByFunction = new Map<string, number>();
const totalByFunction = new Map<string, number>();
const selfByPackage = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id);
  if (!node) continue;
  add(selfByFunction, describe(node), micros);
  add(
    selfByPackage,
    packageOf(node.callFrame.url, node.callFrame.functionName),
    micros,
  );
  // Each function on the stack once, however often it recurses.
  const seen = new Set<string>();
  for (
    let at: number | undefined = id;
    at !== undefined;
    at = parentOf.get(at)
  ) {
    const frame = byId.get(at);
    if (!frame) break;
    const name = describe(frame);
    if (!seen.has(name)) add(totalByFunction, name, micros);
    seen.add(name);
  }
}

print('Self time by package', selfByPackage);
print('Self time by function', selfByFunction);
print('Total time (with callees) by function', totalByFunction);

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function describe(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

function shorten(url: string): string {
  return url.replace(
    /^file:\/\/.*?\/(node_modules|libs|src|bench|sandbox)\//,
    '$1/',
  );
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dependency = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (url.startsWith('node:')) return url.split('/')[0];
  const own = /\/(libs\/sms|src|bench|sandbox)\//.exec(url);
  return own ? own[1] : url;
}

function print(title: string, map: Map<string, number>): void {
  process.stdout.write(
    `\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)\n`,
  );
  const sorted = [...map].sort((a, b) => b[1] - a[1]).slice(0, rows);
  for (const [name, micros] of sorted) {
    const share = ((micros / total) * 100).toFixed(1).padStart(5);
    process.stdout.write(
      `${share}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`,
    );
  }
}
