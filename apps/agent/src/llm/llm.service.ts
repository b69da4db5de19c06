import { performance } from 'perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import OpenAI from 'openai';
import { APP_CONFIG, type AgentEnv } from '@cs/config';
import { BusSubjects } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import type { Passage } from '@cs/knowledge';
import { buildGroundedPrompt, NO_ANSWER } from './grounded-prompt';

export interface LlmAnswer {
  /** The model's answer with its [n] citations; null when it said the passages do not answer. */
  text: string | null;
  /** The passages it was given, in citation order ([1] is passages[0]). */
  passages: Passage[];
  model: string;
  ms: number;
  deltas: number;
}

/**
 * Grounded answers from any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM) through the
 * official SDK. Streamed: each delta is emitted on core `conv.delta.<tenantId>` for a live view
 * (marked provisional: the checks run on the whole answer, and a failed check replaces it with a
 * hand-off), and the whole answer is returned for checking.
 */
@Injectable()
export class LlmService {
  private readonly logger = new Logger(LlmService.name);
  private readonly client: OpenAI | null;
  readonly model: string | null;

  constructor(
    @Inject(APP_CONFIG) env: AgentEnv,
    @Inject(BUS) private readonly bus: Bus,
  ) {
    this.model = env.LLM_MODEL ?? null;
    this.client = env.LLM_BASE_URL && env.LLM_MODEL ? new OpenAI({ baseURL: env.LLM_BASE_URL, apiKey: env.LLM_API_KEY ?? 'none', maxRetries: 1, timeout: 30_000 }) : null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  async answer(opts: {
    tenantId: string;
    conversationId: string;
    replyToMessageId: string;
    /** Where the live deltas go: the channel and its thread (a web-chat session). */
    channel?: string;
    externalThreadId?: string;
    shopName: string;
    question: string;
    passages: Passage[];
    maxChars: number;
  }): Promise<LlmAnswer> {
    if (!this.client || !this.model) throw new Error('no language model configured');
    const started = performance.now();
    const prompt = buildGroundedPrompt(opts);
    const stream = await this.client.chat.completions.create({ model: this.model, messages: prompt.messages, temperature: 0, stream: true });
    let text = '';
    let deltas = 0;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (!delta) continue;
      text += delta;
      this.bus.emit(BusSubjects.convDelta(opts.tenantId), {
        conversationId: opts.conversationId,
        replyToMessageId: opts.replyToMessageId,
        channel: opts.channel,
        externalThreadId: opts.externalThreadId,
        index: deltas++,
        delta,
        provisional: true,
      });
    }
    const ms = Math.round(performance.now() - started);
    this.logger.debug(`llm answered in ${ms} ms (${deltas} deltas)`);
    const answer = text.trim();
    return { text: !answer || answer.includes(NO_ANSWER) ? null : answer, passages: prompt.passages, model: this.model, ms, deltas };
  }
}
