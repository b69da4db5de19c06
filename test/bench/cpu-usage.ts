import { existsSync, readFileSync, readdirSync } from 'fs';
import { Client } from 'pg';

/**
 * CPU seconds used by named processes over a phase, from /proc (Linux only; elsewhere empty).
 * On a shared machine throughput depends on what else runs; CPU time per reply does much less,
 * so it says where the cost of a message lies: which app, the database or the broker.
 */
export class CpuUsage {
  private readonly available = existsSync('/proc/self/stat');
  private start = new Map<string, number>();

  constructor(
    /** A group's pid, or its processes' pids (their CPU is summed: two agents are one role). */
    private readonly apps: Record<string, number | number[] | undefined>,
    private readonly databaseUrl: string,
    private readonly databaseName: string,
  ) {}

  async begin(): Promise<void> {
    this.start = await this.sample();
  }

  /** CPU milliseconds per completed item, by process group, since begin(). */
  async perItem(items: number): Promise<Record<string, number>> {
    const end = await this.sample();
    const out: Record<string, number> = {};
    let total = 0;
    for (const [group, seconds] of end) {
      const used = seconds - (this.start.get(group) ?? 0);
      out[group] = round((used * 1000) / Math.max(1, items));
      total += used;
    }
    if (this.available) out.total = round((total * 1000) / Math.max(1, items));
    return out;
  }

  private async sample(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!this.available) return out;
    for (const [group, pids] of Object.entries(this.apps)) {
      if (pids) out.set(group, [pids].flat().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0));
    }
    out.set('postgres', (await this.databasePids()).reduce((sum, pid) => sum + cpuSecondsOf(pid), 0));
    out.set('nats', natsPids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0));
    return out;
  }

  /** The server processes of this run's database (the apps' pooled connections). */
  private async databasePids(): Promise<number[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.databaseName]);
      return rows.map((r) => r.pid);
    } finally {
      await client.end();
    }
  }
}

function cpuSecondsOf(pid: number): number {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks; the command name (field 2) may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function natsPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'nats-server';
      } catch {
        return false;
      }
    })
    .map(Number);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
