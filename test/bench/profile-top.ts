import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';

/**
 * `node dist/test/bench/profile-top.js DIR [--replies N] [--top K]`: the functions that cost the most
 * in the V8 CPU profiles of DIR (what `npm run bench -- --cpu-prof DIR` wrote for one app), by self
 * time, with milliseconds per reply when N (the replies of the run) is given. The sentence model's
 * WASM, the PostgreSQL driver's parsing, the socket writes: where a reply's CPU goes.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : undefined);
const dir = args[0];
const replies = option('replies');
const top = option('top') ?? 20;

/** Where a function lives, shortest useful form: a package name, or a path inside the repository. */
function where(url: string): string {
  if (!url) return '';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length).split('/').slice(0, url.includes('/@') ? 2 : 1).join('/');
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : path.basename(url);
}

function main(): void {
  if (!dir) throw new Error('usage: profile-top DIR [--replies N] [--top K]');
  const self = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      const micros = profile.timeDeltas[i] ?? 0;
      if (!node || node.callFrame.functionName === '(idle)') return;
      const { functionName, url } = node.callFrame;
      // WASM functions have no useful names: one line for the model's WASM.
      const key = functionName.startsWith('wasm-function') ? '(sentence model WASM)' : `${functionName || '(anonymous)'} ${where(url)}`.trim();
      self.set(key, (self.get(key) ?? 0) + micros);
      total += micros;
    });
  }
  const ms = (micros: number) => (micros / 1000).toFixed(0);
  const perReply = (micros: number) => (replies ? ` ${(micros / 1000 / replies).toFixed(2).padStart(7)} ms/reply` : '');
  console.log(`busy ${ms(total)} ms${perReply(total)}`);
  for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms(micros).padStart(8)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%${perReply(micros)}  ${key}`);
  }
}

main();
