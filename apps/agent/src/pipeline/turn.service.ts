import { performance } from 'perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { sentFilesOf, type ReplyLanguage } from '@cs/contracts';
import type { Passage } from '@cs/knowledge';
import { GuardService } from './guard/guard.service';
import { UnderstandService } from './understand/understand.service';
import { DecideService } from './decide/decide.service';
import { ActService } from './act/act.service';
import type { ActOutcome } from './act/act.types';
import { RetrieveService } from './retrieve/retrieve.service';
import { GenerateService } from './generate/generate.service';
import { CheckService } from './check/check.service';
import { HandoffService } from '../conversations/handoff.service';
import { LlmService, type TenantModel } from '../llm/llm.service';
import type { Decision, Draft, HandoffReason, Retrieval, Turn, Understanding } from './pipeline.types';
import { CONFIDENT_LANGUAGE, replyLanguage } from './text/language';
import { traceOf, type TurnRecord } from './turn-trace';

export interface TurnReply {
  draft: Draft;
  /** Stored on the reply: why the agent said what it said (console, analytics, learning loop). */
  trace: Record<string, unknown>;
  /** What retrieval weighed, when it ran (the console's "try it" shows it whole). */
  retrieval?: Retrieval;
}

/**
 * Two confident passages of different articles this close in confidence (and tied in fused rank) earn
 * a clarifying question. Each of two articles that answer half a question loses vector confidence for
 * the words only the other has (hybrid-search.ts), so their confidences differ with how the question's
 * words fall between them ("a gift card and a discount code": 0.71 and 0.80).
 */
const CLARIFY_MARGIN = 0.1;

type ModelAnswer = { ok: true; text: string | null; passages: Passage[]; trace: Record<string, unknown> } | { ok: false; trace: Record<string, unknown> };

/** What answering a decision produced, besides the turn and what came before it. */
type Answered = Pick<TurnRecord, 'draft' | 'retrieval' | 'checks' | 'generator' | 'llm' | 'action'>;

/**
 * The one conductor of a turn (ARCHITECTURE.md, "The agent's pipeline"): every stage in order,
 * guard → understand → decide → act → retrieve → generate → check, and the trace stored on every bot
 * message. Stages import no other stage; what two of them share is in `text/`. Storing the message
 * and the reply, and publishing, stay with InboundPipeline.
 */
@Injectable()
export class TurnService {
  private readonly logger = new Logger(TurnService.name);
  constructor(
    @Inject(GuardService) private readonly guard: GuardService,
    @Inject(UnderstandService) private readonly understander: UnderstandService,
    @Inject(DecideService) private readonly decider: DecideService,
    @Inject(ActService) private readonly actor: ActService,
    @Inject(RetrieveService) private readonly retriever: RetrieveService,
    @Inject(GenerateService) private readonly generator: GenerateService,
    @Inject(CheckService) private readonly checker: CheckService,
    @Inject(HandoffService) private readonly handoff: HandoffService,
    @Inject(LlmService) private readonly llm: LlmService,
  ) {}

  /**
   * The reply to a stored message, or undefined when the guard keeps the agent silent. `onWorking`
   * runs once the guard lets the turn through, before the slow stages (the live screens show typing).
   */
  async run(turn: Turn, onWorking: () => void): Promise<TurnReply | undefined> {
    if (!this.guard.check(turn).proceed) return undefined;
    onWorking();
    const understanding = await this.understander.understand(turn);
    const decision = this.decider.decide(understanding, turn.text, sentFilesOf(turn.inbound.parts).length);
    // For the agent's own sentences; an answer itself is in the language of its article.
    const language = replyLanguage(understanding.language);
    // act: an action on the shop (or a step of one in progress); a hand-off decided above wins. A try
    // runs it too (it may look an order up), but stores no progress, so it never reaches a shop write.
    const acted = decision.kind === 'handoff' ? undefined : await this.timed(turn, 'actMs', () => this.actor.act(turn, understanding, decision, language));
    const answered = acted ? this.fromAction(turn, acted, language) : await this.answer(turn, understanding, decision, language);
    turn.timings.understandMs = understanding.timings.understandMs;
    turn.timings.totalMs = round(performance.now() - turn.startedAt);
    return { draft: answered.draft, trace: traceOf({ turn, understanding, decision, language, ...answered }), retrieval: answered.retrieval };
  }

  /**
   * From a decision to the reply: small talk, an immediate hand-off, or retrieve → generate (a
   * model's grounded answer when one is configured, else extractive) → check. A failed check is a
   * hand-off.
   */
  private async answer(turn: Turn, understanding: Understanding, decision: Decision, language: ReplyLanguage): Promise<Answered> {
    if (decision.kind === 'smalltalk') return { draft: this.generator.smalltalk(turn, decision.intent, language), checks: [], generator: 'template' };
    if (decision.kind === 'handoff') return { draft: this.handoff.draft(turn, decision.reason, language), checks: [], generator: 'template' };

    const retrieval = await this.timed(turn, 'retrieveMs', () => this.retriever.retrieve(turn, understanding, decision.strict || decision.margin));
    const handoff = (reason: HandoffReason, passage?: Passage) => this.handoff.draft(turn, reason, language, passage);
    const best = retrieval.passages[0];
    const customerLanguage = understanding.language.confidence >= CONFIDENT_LANGUAGE ? understanding.language.language : 'und';
    // A follow-up already carries the conversation's context: answer it rather than ask back.
    const tied = best && retrieval.query === turn.text ? this.ambiguity(retrieval) : undefined;
    // A near-tie is broken by the whole question when one article's sentences answer it clearly better.
    const preferred = tied && this.generator.preferred(turn, tied, retrieval);
    const ambiguous = tied && !preferred ? tied : undefined;
    if (customerLanguage !== 'und' && retrieval.languages && !retrieval.languages.includes(customerLanguage)) {
      return { draft: handoff('language_not_supported'), retrieval, checks: [], generator: 'template' };
    }
    if (!best) return { draft: handoff('no_confident_answer', retrieval.rejected[0]), retrieval, checks: [], generator: 'template' };
    if (ambiguous) return { draft: this.generator.clarify(ambiguous[0], ambiguous[1], language), retrieval, checks: [], generator: 'clarify' };

    // The tenant's own model (settings), else the process-wide one, else none.
    const model = this.llm.forTenant(turn.settings);
    const answer = model ? await this.modelAnswer(turn, retrieval, model) : undefined;
    if (answer?.ok && model) {
      const generator = `llm:${model.model}`;
      if (!answer.text) return { draft: handoff('no_confident_answer', best), retrieval, checks: [], generator, llm: answer.trace };
      const candidate = this.generator.fromModel(turn, answer.text, answer.passages);
      const result = this.checker.check({ retrieval, draft: candidate, maxLength: this.generator.maxLength(turn), customerText: turn.text, cited: answer.passages });
      return { draft: result.passed ? candidate : handoff('failed_check', best), retrieval, checks: result.checks, generator, llm: answer.trace };
    }
    // No model, or a failing one (its error goes in the trace): the extractive answer.
    const candidate = this.generator.answer({ ...turn, text: retrieval.query ?? turn.text }, preferred || best, language, retrieval);
    const result = this.checker.check({ retrieval, draft: candidate, maxLength: this.generator.maxLength(turn), customerText: turn.text });
    return { draft: result.passed ? candidate : handoff('failed_check', best), retrieval, checks: result.checks, generator: 'extractive', llm: answer?.trace };
  }

  /** The act stage's reply; a hand-off says first what was not done, then the holding message. */
  private fromAction(turn: Turn, acted: ActOutcome, language: ReplyLanguage): Answered {
    const said = acted.text ?? acted.handoff?.notDone ?? '';
    const personal = this.checker.checkAction(said, acted.allowed ?? [turn.text]);
    // Data the reply may not show: nothing of it goes out, a person looks at it.
    if (!personal.passed) return { draft: this.handoff.draft(turn, 'failed_check', language), checks: [personal], generator: 'action', action: acted.trace };
    if (!acted.handoff) {
      const text = acted.text ?? '';
      return { draft: { text, parts: [{ type: 'text', text }] }, checks: [personal], generator: 'action', action: acted.trace };
    }
    const holding = this.handoff.draft(turn, acted.handoff.reason, language);
    const text = `${acted.handoff.notDone} ${holding.text}`;
    const handoff = holding.handoff && acted.handoff.note ? { ...holding.handoff, summary: `${holding.handoff.summary} ${acted.handoff.note}` } : holding.handoff;
    return { draft: { ...holding, text, parts: [{ type: 'text', text }], handoff }, checks: [personal], generator: 'action', action: acted.trace };
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
  private async modelAnswer(turn: Turn, retrieval: Retrieval, model: TenantModel): Promise<ModelAnswer> {
    try {
      const answer = await this.timed(turn, 'generateMs', () =>
        this.llm.answer(model, {
          tenantId: turn.tenantId,
          conversationId: turn.conversationId,
          replyToMessageId: turn.inboundMessageId,
          channel: turn.inbound.channel,
          externalThreadId: turn.inbound.externalThreadId,
          live: !turn.dryRun,
          shopName: turn.tenantName,
          brandVoice: turn.settings.brandVoice,
          question: retrieval.query ?? turn.text,
          passages: retrieval.passages,
          maxChars: this.generator.maxLength(turn),
        }),
      );
      return { ok: true, text: answer.text, passages: answer.passages, trace: { model: answer.model, endpoint: model.source, ms: answer.ms, deltas: answer.deltas, text: answer.text } };
    } catch (err) {
      this.logger.warn(`language model failed, answering extractively: ${(err as Error).message}`);
      return { ok: false, trace: { model: model.model, endpoint: model.source, error: (err as Error).message } };
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
