import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { freePort } from './free-port';
import { testEnv } from './test-env';

export type AppEntry = 'gateway' | 'agent' | 'connectors' | 'embedded';

export interface SpawnOptions {
  /** Ready when this URL answers 200; default `<url>/readyz`. */
  readyUrl?: string;
  /** Ready when a line of output matches instead (for a process without HTTP). */
  readyLine?: string | RegExp;
  readyTimeoutMs?: number;
  /** Node.js options before the entry script, e.g. `['--cpu-prof', '--cpu-prof-dir', dir]` (the bench's `--cpu-prof`). */
  nodeArgs?: string[];
}

export interface SpawnedApp {
  proc: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  logFile: string;
  /** Sends `signal` (default SIGTERM) and resolves once the process has exited (SIGKILL after 10 s). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  logs(): string;
}

/** The repository root, whether this runs from test/helpers (jest) or dist/test/helpers (bench). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
const root = repoRoot();
const ENTRIES: Record<AppEntry, string> = {
  gateway: 'dist/apps/gateway/src/main.js',
  agent: 'dist/apps/agent/src/main.js',
  connectors: 'dist/apps/connectors/src/main.js',
  embedded: 'dist/apps/embedded/src/main.js',
};

const running = new Set<SpawnedApp>();

// Registered once per spec file that imports this module: no app outlives its spec, even when a
// test fails before its own cleanup.
if (typeof afterAll === 'function') afterAll(() => Promise.all([...running].map((app) => app.kill('SIGKILL'))));
process.once('exit', () => running.forEach((app) => app.proc.kill('SIGKILL')));

function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

function whenExited(proc: ChildProcess): Promise<void> {
  return exited(proc) ? Promise.resolve() : new Promise((resolve) => proc.once('exit', () => resolve()));
}

/**
 * Starts a built app (`node dist/...`, so `npm run build` first — `npm test` does) as its own process,
 * with the run's database and bus unless `env` says otherwise (embedded: a fresh DATA_DIR and no
 * DATABASE_URL/NATS_URL), and resolves once it is ready. Output goes to `.tmp/logs/`.
 */
export async function spawnApp(entry: AppEntry, env: NodeJS.ProcessEnv = {}, options: SpawnOptions = {}): Promise<SpawnedApp> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1' };
  if (entry === 'embedded') {
    delete base.DATABASE_URL;
    delete base.NATS_URL;
    base.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'cs-embedded-'));
  } else {
    Object.assign(base, testEnv());
  }
  const childEnv = { ...base, ...env, PORT: String(port) };

  const logDir = path.join(root, '.tmp/logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${entry}-${port}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  let output = '';

  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(root, ENTRIES[entry])], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  proc.once('exit', () => log.end());

  const app: SpawnedApp = {
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    logs: () => output,
    async kill(signal = 'SIGTERM') {
      running.delete(app);
      if (exited(proc)) return;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await whenExited(proc);
      clearTimeout(timer);
    },
  };
  running.add(app);

  try {
    await untilReady(app, options);
  } catch (err) {
    await app.kill('SIGKILL');
    const tail = output.split('\n').slice(-40).join('\n');
    throw new Error(`${entry} did not become ready: ${(err as Error).message}\n--- last output (${logFile}) ---\n${tail}`);
  }
  return app;
}

async function untilReady(app: SpawnedApp, options: SpawnOptions): Promise<void> {
  const { readyLine, readyUrl = `${app.url}/readyz`, readyTimeoutMs = 30_000 } = options;
  const deadline = Date.now() + readyTimeoutMs;
  const matches = (text: string) => (typeof readyLine === 'string' ? text.includes(readyLine) : !!readyLine?.test(text));
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited(app.proc)) throw new Error(`exited with ${app.proc.exitCode ?? app.proc.signalCode}`);
    if (readyLine !== undefined) {
      if (matches(app.logs())) return;
    } else {
      try {
        const res = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return;
        lastProblem = `${readyUrl} answered ${res.status}`;
      } catch (err) {
        lastProblem = `${readyUrl}: ${(err as Error).message}`;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready after ${readyTimeoutMs} ms (${readyLine !== undefined ? `no line ${String(readyLine)}` : lastProblem})`);
}
