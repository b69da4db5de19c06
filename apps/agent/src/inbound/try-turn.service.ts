import { performance } from 'perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  CHANNELS,
  MESSAGE_TYPES,
  describeZodError,
  makeEnvelope,
  newId,
  replyOutcomeOf,
  type AgentTryPassage,
  type AgentTryReply,
  type InboundMessage,
} from '@cs/contracts';
import type { Passage } from '@cs/knowledge';
import type { TenantSettings } from '@cs/persistence';
import { TurnService } from '../pipeline/turn.service';
import type { Turn } from '../pipeline/pipeline.types';

const tryRequestSchema = z.object({
  tenantId: z.uuid(),
  question: z.string().trim().min(1).max(4000),
  channel: z.enum(CHANNELS).default('webchat'),
});

/**
 * The console's "try it" (`agent.try`): the question goes through the same TurnService turn a
 * customer's first message in a new conversation does, so the console can never contradict the
 * agent. Nothing is stored (the turn gets a conversation id that names no row), nothing is sent or
 * streamed (`dryRun`). The act stage runs as for a first message: it may look an order up and ask
 * for a confirmation, but keeps no progress, so no "yes" can ever follow and nothing is done on the
 * shop.
 */
@Injectable()
export class TryTurnService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(TurnService) private readonly turns: TurnService,
  ) {}

  async try(payload: unknown): Promise<AgentTryReply> {
    const parsed = tryRequestSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, status: 400, error: describeZodError(parsed.error) };
    const { tenantId, question, channel } = parsed.data;
    const [tenant]: { name: string; settings: TenantSettings | null }[] = await this.ds.query('SELECT name, settings FROM tenants WHERE id = $1', [tenantId]);
    if (!tenant) return { ok: false, status: 404, error: 'no such tenant' };

    const inbound: InboundMessage = {
      connectorId: channel,
      channel,
      channelAccountId: 'try',
      externalMessageId: `try-${newId()}`,
      sender: { externalUserId: 'try' },
      receivedAt: new Date().toISOString(),
      parts: [{ type: 'text', text: question }],
      channelData: {},
    };
    const turn: Turn = {
      envelope: makeEnvelope(MESSAGE_TYPES.inbound, tenantId, inbound),
      inbound,
      tenantId,
      tenantName: tenant.name,
      settings: tenant.settings ?? {},
      conversationId: newId(),
      conversationStatus: 'bot',
      inboundMessageId: newId(),
      text: question,
      startedAt: performance.now(),
      timings: {},
      dryRun: true,
    };
    const reply = await this.turns.run(turn, () => undefined);
    if (!reply) return { ok: true, outcome: null, answer: null, parts: [], trace: null, retrieval: null };
    const { draft, trace, retrieval } = reply;
    return {
      ok: true,
      outcome: replyOutcomeOf(trace) ?? null,
      answer: draft.text,
      parts: draft.parts,
      trace,
      retrieval: retrieval ? { threshold: retrieval.threshold, passages: retrieval.passages.map(view), rejected: retrieval.rejected.map(view) } : null,
    };
  }
}

function view(p: Passage): AgentTryPassage {
  return { chunkId: p.chunkId, articleId: p.articleId, title: p.title, heading: p.heading, url: p.url, content: p.content, score: p.score };
}
