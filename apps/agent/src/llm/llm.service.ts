import { createHash } from 'crypto';
import { performance } from 'perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import OpenAI from 'openai';
import { APP_CONFIG, SECRET_KEY, SecretBox, type AgentEnv } from '@cs/config';
import { BusSubjects } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import type { TenantSettings } from '@cs/persistence';
import type { Passage } from '@cs/knowledge';
import { buildGroundedPrompt, NO_ANSWER } from './grounded-prompt';
import { ACTION_TOOLS, readToolCall, type ToolChoice } from '../actions/action-tools';

export interface LlmAnswer {
  /** The model's answer with its [n] citations; null when it said the passages do not answer. */
  text: string | null;
  /** The passages it was given, in citation order ([1] is passages[0]). */
  passages: Passage[];
  model: string;
  ms: number;
  deltas: number;
}

const MAX_TENANT_CLIENTS = 500;

/** The model one tenant's answers come from: its own endpoint and model, or the process-wide default. */
export interface TenantModel {
  client: OpenAI;
  model: string;
  /** `tenant` when the tenant's own endpoint is used, else `default`. */
  source: 'tenant' | 'default';
}

/**
 * Grounded answers from any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM) through the
 * official SDK. Streamed: each delta is emitted on core `conv.delta.<tenantId>` for a live view
 * (marked provisional: the checks run on the whole answer, and a failed check replaces it with a
 * hand-off), and the whole answer is returned for checking.
 *
 * Per tenant (settings `llmProvider`, `llmBaseUrl`, `llmApiKeySealed`, `llmModel`): `extractive`
 * never uses a model; a tenant's own base URL (with its sealed key) is its endpoint; `llmModel`
 * names the model on whichever endpoint applies. Without settings, the LLM_* variables decide.
 */
@Injectable()
export class LlmService {
  private readonly logger = new Logger(LlmService.name);
  private readonly client: OpenAI | null;
  private readonly box: SecretBox;
  /** Tenant clients by endpoint and key digest: a changed key or URL builds a new one. */
  private readonly clients = new Map<string, OpenAI>();
  private readonly model: string | null;

  constructor(
    @Inject(APP_CONFIG) env: AgentEnv,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(SECRET_KEY) secretKey: Buffer,
  ) {
    this.model = env.LLM_MODEL ?? null;
    this.client = env.LLM_BASE_URL && env.LLM_MODEL ? client(env.LLM_BASE_URL, env.LLM_API_KEY) : null;
    this.box = new SecretBox(secretKey);
  }

  /** The model a tenant's answers come from, or null when it answers extractively. */
  forTenant(settings: TenantSettings): TenantModel | null {
    if (settings.llmProvider === 'extractive') return null;
    if (settings.llmBaseUrl) {
      const model = settings.llmModel ?? this.model;
      if (!model) return null;
      const apiKey = this.apiKeyOf(settings);
      const key = `${settings.llmBaseUrl}\n${createHash('sha256').update(apiKey ?? '').digest('hex')}`;
      let tenantClient = this.clients.get(key);
      if (!tenantClient) {
        // Replaced keys and URLs leave stale entries: start over rather than grow without bound.
        if (this.clients.size >= MAX_TENANT_CLIENTS) this.clients.clear();
        tenantClient = client(settings.llmBaseUrl, apiKey);
        this.clients.set(key, tenantClient);
      }
      return { client: tenantClient, model, source: 'tenant' };
    }
    if (!this.client || !this.model) return null;
    return { client: this.client, model: settings.llmModel ?? this.model, source: 'default' };
  }

  async answer(
    using: TenantModel,
    opts: {
      tenantId: string;
      conversationId: string;
      replyToMessageId: string;
      /** Where the live deltas go: the channel and its thread (a web-chat session). */
      channel?: string;
      externalThreadId?: string;
      /** False for a try (the console's "try it"): nobody is watching the conversation, nothing is emitted. */
      live?: boolean;
      shopName: string;
      brandVoice?: string;
      question: string;
      passages: Passage[];
      maxChars: number;
    },
  ): Promise<LlmAnswer> {
    const started = performance.now();
    const prompt = buildGroundedPrompt(opts);
    const stream = await using.client.chat.completions.create({ model: using.model, messages: prompt.messages, temperature: 0, stream: true });
    let text = '';
    let deltas = 0;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (!delta) continue;
      text += delta;
      const index = deltas++;
      if (opts.live === false) continue;
      this.bus.emit(BusSubjects.convDelta(opts.tenantId), {
        conversationId: opts.conversationId,
        replyToMessageId: opts.replyToMessageId,
        channel: opts.channel,
        externalThreadId: opts.externalThreadId,
        index,
        delta,
        provisional: true,
      });
    }
    const ms = Math.round(performance.now() - started);
    this.logger.debug(`llm answered in ${ms} ms (${deltas} deltas)`);
    const answer = text.trim();
    return { text: !answer || answer.includes(NO_ANSWER) ? null : answer, passages: prompt.passages, model: using.model, ms, deltas };
  }

  /**
   * Offers the actions `offered` to the model as tools for the customer's message; the one it calls,
   * or null when it calls none (it is then answered as before). The choice is all the model gives:
   * the act stage checks the rest.
   */
  async chooseAction(using: TenantModel, opts: { shopName: string; text: string; offered: string[] }): Promise<{ choice: ToolChoice | null; model: string; ms: number }> {
    const started = performance.now();
    const tools = opts.offered.map((name) => ACTION_TOOLS[name]).filter((t) => t !== undefined);
    const completion = await using.client.chat.completions.create({
      model: using.model,
      temperature: 0,
      tools,
      tool_choice: 'auto',
      messages: [
        {
          role: 'system',
          content: `You help customers of ${opts.shopName}. When the customer's message asks for one of the tools, call it with what the customer wrote; otherwise answer nothing. Identity checks and confirmations are done by the shop's system, not by you.`,
        },
        { role: 'user', content: opts.text },
      ],
    });
    const call = completion.choices[0]?.message?.tool_calls?.find((c) => c.type === 'function');
    const choice = call && call.type === 'function' ? readToolCall(call.function.name, call.function.arguments, opts.offered) : null;
    return { choice, model: using.model, ms: Math.round(performance.now() - started) };
  }

  /** The tenant's key; a key sealed with another SECRET_KEY is logged and the endpoint called without one. */
  private apiKeyOf(settings: TenantSettings): string | undefined {
    if (!settings.llmApiKeySealed) return undefined;
    try {
      const opened = this.box.open(settings.llmApiKeySealed);
      return typeof opened.apiKey === 'string' ? opened.apiKey : undefined;
    } catch (err) {
      this.logger.warn(`a tenant's model key could not be opened: ${(err as Error).message}`);
      return undefined;
    }
  }
}

function client(baseURL: string, apiKey: string | undefined): OpenAI {
  return new OpenAI({ baseURL, apiKey: apiKey ?? 'none', maxRetries: 1, timeout: 30_000 });
}
