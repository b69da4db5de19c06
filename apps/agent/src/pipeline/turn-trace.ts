import type { ReplyLanguage } from '@cs/contracts';
import type { CheckResult, Decision, Draft, Retrieval, Turn, Understanding } from './pipeline.types';

/** What a turn's stages produced, as the trace stored on the reply needs it. */
export interface TurnRecord {
  turn: Turn;
  understanding: Understanding;
  decision: Decision;
  language: ReplyLanguage;
  retrieval?: Retrieval;
  generator: string;
  llm?: Record<string, unknown>;
  checks: CheckResult[];
  draft: Draft;
  /** The act stage's record: action, step, identity result, backend call (issue 15). */
  action?: Record<string, unknown>;
}

/**
 * Stored on every bot message: why the agent said what it said (console, analytics, learning loop):
 * intent and score, passages and scores, checks, provider, generator, timings.
 */
export function traceOf({ turn, understanding, decision, language, retrieval, generator, llm, checks, draft, action }: TurnRecord): Record<string, unknown> {
  return {
    intent: understanding.intent,
    intentScore: understanding.score,
    intentConfidence: understanding.confidence,
    outOfScopeThreshold: understanding.outOfScopeThreshold,
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
    action,
    timings: { ...turn.timings, ...(retrieval?.timings ?? {}) },
  };
}
