import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusSubjects, type AgentTryPassage, type AgentTryReply, type Channel, type MessagePart, type ReplyOutcome } from '@cs/contracts';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '@cs/knowledge';
import { BUS, BusNoRespondersError, BusTimeoutError, type Bus } from '@cs/messaging';

/** A turn with a language model may take a while; the agent's own model timeout is 30 s. */
const TRY_TIMEOUT_MS = 45_000;

export interface TryResult {
  question: string;
  channel: Channel;
  /** `answer` when the agent would answer (or ask back), `handoff` when it would pass to a person, `silent` when it would say nothing. */
  decision: 'answer' | 'handoff' | 'silent';
  /** The same outcome the customer's reply carries: `answered` or `handoff`, and why as a code. */
  outcome: ReplyOutcome | null;
  /** What the customer would read. */
  answer: string | null;
  parts: MessagePart[];
  /** The confidence a passage needed (the tenant's threshold, raised for a strict turn). */
  threshold: number;
  /** What the agent would answer from, best first. */
  passages: AgentTryPassage[];
  /** The best candidates under the threshold: why it would hand off. */
  rejected: AgentTryPassage[];
  /** The trace a real reply would store: intent, decision, passages, generator, checks, timings. */
  trace: Record<string, unknown> | null;
}

/**
 * "Try it": the question goes to the agent over the bus (`agent.try`), which runs the very turn a
 * customer's message gets (understand, decide, act, retrieve, generate, check) with nothing stored or
 * sent, so what staff see is what the customer would get. The gateway runs no AI code itself.
 */
@Injectable()
export class KnowledgeTryService {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async try(tenantId: string, question: string, channel: Channel = 'webchat'): Promise<TryResult> {
    let reply: AgentTryReply;
    try {
      reply = await this.bus.request(BusSubjects.agentTry(), { tenantId, question, channel }, TRY_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof BusNoRespondersError || err instanceof BusTimeoutError) {
        throw new HttpException('the agent did not answer the try; is it running?', HttpStatus.SERVICE_UNAVAILABLE);
      }
      throw err;
    }
    if (!reply.ok) throw new HttpException(reply.error, reply.status >= 400 && reply.status <= 599 ? reply.status : HttpStatus.BAD_GATEWAY);
    const decision = !reply.outcome ? 'silent' : reply.outcome.kind === 'handoff' ? 'handoff' : 'answer';
    return {
      question,
      channel,
      decision,
      outcome: reply.outcome,
      answer: reply.answer,
      parts: reply.parts,
      threshold: reply.retrieval?.threshold ?? (await this.tenantThreshold(tenantId)),
      passages: reply.retrieval?.passages ?? [],
      rejected: reply.retrieval?.rejected ?? [],
      trace: reply.trace,
    };
  }

  /** A turn decided before retrieval ran (a hand-off asked for, small talk): the tenant's own threshold. */
  private async tenantThreshold(tenantId: string): Promise<number> {
    const [row]: { threshold: number | null }[] = await this.db.query(`SELECT (settings->>'confidenceThreshold')::float8 AS threshold FROM tenants WHERE id = $1`, [tenantId]);
    return row?.threshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  }
}
