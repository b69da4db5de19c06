import { ChildProcess, execFileSync, spawn } from 'child_process';
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { freePort } from './free-port';

/**
 * A PostgreSQL and a NATS JetStream of the test's own (temp folders, own ports), so a fault suite
 * can stop and start them without touching the machine's shared servers that other runs use.
 */

function pgBin(tool: string): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const candidate = path.join(base, v, 'bin', tool);
    if (existsSync(candidate)) return candidate;
  }
  return tool;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** PostgreSQL refuses to run as root: run its tools as `postgres` then. */
function runPg(tool: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', pgBin(tool), ...args]] : [pgBin(tool), args];
  execFileSync(cmd, argv, { stdio: 'pipe' });
}

export interface PrivatePostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-faults-pg-'));
  const data = path.join(dir, 'data');
  mkdirSync(data);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  chmodSync(data, 0o700);
  const port = await freePort();
  runPg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pg: PrivatePostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      runPg('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'postgres.log'), '-w', 'start']);
    },
    async stop() {
      // immediate: connections die as in a crash, which is what an outage looks like to the apps.
      runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    async destroy() {
      try {
        await pg.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // A spec that dies mid-way must not leave a postgres running on the machine.
  process.once('exit', () => {
    try {
      runPg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // already stopped
    }
  });
  await pg.start();
  return pg;
}

export interface PrivateNats {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateNats(binary = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server'): Promise<PrivateNats> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-faults-nats-'));
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const ready = async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`);
        if (res.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('private nats-server did not start');
  };
  const monitor = await freePort();
  const nats: PrivateNats = {
    port,
    url: `nats://127.0.0.1:${port}`,
    async start() {
      const log = createWriteStream(path.join(dir, 'nats.log'), { flags: 'a' });
      proc = spawn(binary, ['-js', '-sd', path.join(dir, 'store'), '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout?.pipe(log);
      proc.stderr?.pipe(log);
      await ready();
    },
    async stop() {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null) return;
      const gone = new Promise((resolve) => p.once('exit', resolve));
      p.kill('SIGKILL');
      await gone;
    },
    async destroy() {
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  process.once('exit', () => proc?.kill('SIGKILL'));
  await nats.start();
  return nats;
}
