import { performance } from 'perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Passage } from '@cs/knowledge';
import { RetrieveService } from './retrieve/retrieve.service';
import { GenerateService } from './generate/generate.service';
import { CheckService } from './check/check.service';
import { HandoffService } from '../conversations/handoff.service';
import { LlmService } from '../llm/llm.service';
import type { CheckResult, Decision, Draft, Retrieval, Turn, Understanding } from './pipeline.types';
import { CONFIDENT_LANGUAGE, replyLanguage } from './text/language';

export interface Composed {
  draft: Draft;
  /** Stored on the reply: why the agent said what it said (console, analytics, learning loop). */
  trace: Record<string, unknown>;
}

/**
 * Two confident passages of different articles this close in confidence (and tied in fused rank) earn
 * a clarifying question. Each of two articles that answer half a question loses vector confidence for
 * the words only the other has (hybrid-search.ts), so their confidences differ with how the question's
 * words fall between them ("a gift card and a discount code": 0.71 and 0.80).
 */
const CLARIFY_MARGIN = 0.1;

/**
 * From a decision to the reply: small talk, an immediate hand-off, or retrieve → generate (a model's
 * grounded answer when one is configured, else extractive) → check. Builds the trace stored on
 * every bot message: intent and score, passages and scores, checks, provider, timings.
 */
type ModelAnswer = { ok: true; text: string | null; passages: Passage[]; trace: Record<string, unknown> } | { ok: false; trace: Record<string, unknown> };

@Injectable()
export class AnswerService {
  private readonly logger = new Logger(AnswerService.name);
  constructor(
    @Inject(RetrieveService) private readonly retriever: RetrieveService,
    @Inject(GenerateService) private readonly generator: GenerateService,
    @Inject(CheckService) private readonly checker: CheckService,
    @Inject(HandoffService) private readonly handoff: HandoffService,
    @Inject(LlmService) private readonly llm: LlmService,
  ) {}

  async compose(turn: Turn, understanding: Understanding, decision: Decision): Promise<Composed> {
    let draft: Draft;
    let retrieval: Retrieval | undefined;
    let checks: CheckResult[] = [];
    let generator = 'template';
    let llm: Record<string, unknown> | undefined;
    let answer: ModelAnswer | undefined;
    // For the agent's own sentences; an answer itself is in the language of its article.
    const language = replyLanguage(understanding.language);
    if (decision.kind === 'smalltalk') {
      draft = this.generator.smalltalk(turn, decision.intent, language);
    } else if (decision.kind === 'handoff') {
      draft = this.handoff.draft(turn, decision.reason, language);
    } else {
      retrieval = await this.timed(turn, 'retrieveMs', () => this.retriever.retrieve(turn, understanding, decision.strict));
      const best = retrieval.passages[0];
      const customerLanguage = understanding.language.confidence >= CONFIDENT_LANGUAGE ? understanding.language.language : 'und';
      // A follow-up already carries the conversation's context: answer it rather than ask back.
      const ambiguous = best && retrieval.query === turn.text ? this.ambiguity(retrieval) : undefined;
      if (customerLanguage !== 'und' && retrieval.languages && !retrieval.languages.includes(customerLanguage)) {
        draft = this.handoff.draft(turn, 'language_not_supported', language);
      } else if (!best) {
        draft = this.handoff.draft(turn, 'no_confident_answer', language, retrieval.rejected[0]);
      } else if (ambiguous) {
        generator = 'clarify';
        draft = this.generator.clarify(ambiguous[0], ambiguous[1], language);
      } else if (this.llm.enabled && (answer = await this.modelAnswer(turn, retrieval)).ok) {
        generator = `llm:${this.llm.model}`;
        llm = answer.trace;
        const { text, passages } = answer;
        if (!text) {
          draft = this.handoff.draft(turn, 'no_confident_answer', language, best);
        } else {
          const candidate = this.generator.fromModel(turn, text, passages);
          const result = this.checker.check({ retrieval, draft: candidate, maxLength: this.generator.maxLength(turn), customerText: turn.text, cited: passages });
          checks = result.checks;
          draft = result.passed ? candidate : this.handoff.draft(turn, 'failed_check', language, best);
        }
      } else {
        generator = 'extractive';
        llm = answer && !answer.ok ? answer.trace : undefined;
        const candidate = this.generator.answer({ ...turn, text: retrieval.query ?? turn.text }, best, language);
        const result = this.checker.check({ retrieval, draft: candidate, maxLength: this.generator.maxLength(turn), customerText: turn.text });
        checks = result.checks;
        draft = result.passed ? candidate : this.handoff.draft(turn, 'failed_check', language, best);
      }
    }
    turn.timings.understandMs = understanding.timings.understandMs;
    turn.timings.totalMs = round(performance.now() - turn.startedAt);
    const trace: Record<string, unknown> = {
      intent: understanding.intent,
      intentScore: understanding.score,
      intentKind: understanding.kind,
      rule: understanding.rule,
      ranking: understanding.ranking,
      language: understanding.language,
      // Stored with the reply so that a republished one is wrapped in the same language (ReplyPublisher).
      replyLanguage: language,
      entities: understanding.entities.map((e) => ({ type: e.type, value: e.value })),
      sentiment: understanding.sentiment,
      injection: understanding.injection,
      decision: decision.kind,
      provider: retrieval?.provider ?? 'none',
      generator,
      llm,
      query: retrieval?.query,
      threshold: retrieval?.threshold,
      passages: [...(retrieval?.passages ?? []), ...(retrieval?.rejected ?? [])].map((p) => ({
        chunkId: p.chunkId,
        articleId: p.articleId,
        title: p.title,
        heading: p.heading,
        url: p.url,
        score: p.score,
        signals: p.signals,
      })),
      checks,
      handoff: draft.handoff,
      timings: { ...turn.timings, ...(retrieval?.timings ?? {}) },
    };
    return { draft, trace };
  }

  /**
   * The two best articles, when they tie: both confident, confidences within CLARIFY_MARGIN and fused
   * ranks within 1% (each signal ranks one first and the other second), named best fused rank first.
   * Near-tied fused ranks come ordered by confidence, so the second may have the higher one. Asking
   * costs the customer one message; answering the wrong one costs more.
   */
  private ambiguity(retrieval: Retrieval): [Passage, Passage] | undefined {
    const [first, ...rest] = retrieval.passages;
    const second = rest.find((p) => p.articleId !== first?.articleId);
    if (!first?.signals || !second?.signals) return undefined;
    const [a, b] = [first.signals.rrf, second.signals.rrf];
    if (first.score - second.score > CLARIFY_MARGIN || Math.min(a, b) < 0.99 * Math.max(a, b)) return undefined;
    return b > a ? [second, first] : [first, second];
  }

  /** The model's grounded answer; a failing endpoint falls back to the extractive answer rather than failing the turn. */
  private async modelAnswer(turn: Turn, retrieval: Retrieval): Promise<ModelAnswer> {
    try {
      const answer = await this.timed(turn, 'generateMs', () =>
        this.llm.answer({
          tenantId: turn.tenantId,
          conversationId: turn.conversationId,
          replyToMessageId: turn.inboundMessageId,
          channel: turn.inbound.channel,
          externalThreadId: turn.inbound.externalThreadId,
          shopName: turn.tenantName,
          question: retrieval.query ?? turn.text,
          passages: retrieval.passages,
          maxChars: this.generator.maxLength(turn),
        }),
      );
      return { ok: true, text: answer.text, passages: answer.passages, trace: { model: answer.model, ms: answer.ms, deltas: answer.deltas, text: answer.text } };
    } catch (err) {
      this.logger.warn(`language model failed, answering extractively: ${(err as Error).message}`);
      return { ok: false, trace: { model: this.llm.model, error: (err as Error).message } };
    }
  }

  private async timed<T>(turn: Turn, key: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      turn.timings[key] = round(performance.now() - start);
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
