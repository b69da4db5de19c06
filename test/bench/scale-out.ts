import { Client } from 'pg';
import type { NatsConnection, Subscription } from 'nats';
import type { LatencySummary } from './stats';

/**
 * Counts the replies the connectors hand to the API channel (`<prefix>.api.reply.<message id>`),
 * by question: a question answered twice — two agents both answering, a connector sending one
 * reply twice — shows as a count above one. Every gateway receives these, so this is what the
 * customer would have been sent.
 */
export class ReplyCounter {
  private nc?: NatsConnection;
  private sub?: Subscription;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly url: string,
    private readonly prefix: string,
  ) {}

  async start(): Promise<void> {
    const { connect } = await import('nats');
    this.nc = await connect({ servers: this.url });
    const subject = `${this.prefix}.api.reply.`;
    this.sub = this.nc.subscribe(`${subject}>`, {
      callback: (err, msg) => {
        if (err) return;
        const id = msg.subject.slice(subject.length);
        this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      },
    });
  }

  /** Questions replied to, and how many of them more than once. */
  summary(): { questionsReplied: number; repliedMoreThanOnce: number } {
    let doubled = 0;
    for (const n of this.counts.values()) if (n > 1) doubled++;
    return { questionsReplied: this.counts.size, repliedMoreThanOnce: doubled };
  }

  async stop(): Promise<void> {
    this.sub?.unsubscribe();
    await this.nc?.drain();
  }
}

/** Inbound messages of the run that have more than one stored bot reply (must be none), and how many have one. */
export async function storedReplyCounts(databaseUrl: string): Promise<{ inboundWithReply: number; inboundWithSeveralReplies: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ replied: string; several: string }>(
      `SELECT count(*) AS replied, count(*) FILTER (WHERE n > 1) AS several
         FROM (SELECT reply_to_message_id, count(*) AS n FROM messages
                WHERE author_kind = 'bot' AND direction = 'out' AND reply_to_message_id IS NOT NULL
                GROUP BY reply_to_message_id) r`,
    );
    return { inboundWithReply: Number(rows[0].replied), inboundWithSeveralReplies: Number(rows[0].several) };
  } finally {
    await client.end();
  }
}

export interface ScaleRun {
  agents: number;
  connectors: number;
  repeated: { repliesPerSecond: number; latencyMs: LatencySummary; cpuMsPerReply: Record<string, number> };
  distinct: { repliesPerSecond: number; latencyMs: LatencySummary; cpuMsPerReply: Record<string, number> } | null;
}

/** One line per configuration, for the console report. */
export function scaleLines(runs: ScaleRun[]): string[] {
  const cpu = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ');
  return runs.flatMap((r) => [
    `  scale     ${r.agents} agent(s), ${r.connectors} connector(s): repeated ${r.repeated.repliesPerSecond}/s p95 ${r.repeated.latencyMs.p95} ms (cpu ms/reply ${cpu(r.repeated.cpuMsPerReply)})`,
    ...(r.distinct ? [`            distinct ${r.distinct.repliesPerSecond}/s p95 ${r.distinct.latencyMs.p95} ms (cpu ms/reply ${cpu(r.distinct.cpuMsPerReply)})`] : []),
  ]);
}
