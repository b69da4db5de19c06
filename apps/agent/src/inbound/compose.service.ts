import { performance } from 'perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { RetrieveService } from '../pipeline/retrieve/retrieve.service';
import { GenerateService } from '../pipeline/generate/generate.service';
import { CheckService } from '../pipeline/check/check.service';
import { HandoffService } from '../conversations/handoff.service';
import type { CheckResult, Decision, Draft, Retrieval, Turn, Understanding } from '../pipeline/pipeline.types';

export interface Composed {
  draft: Draft;
  /** Stored on the reply: why the agent said what it said (console, analytics, learning loop). */
  trace: Record<string, unknown>;
}

/** Turns a decision into the reply: small talk, an immediate hand-off, or retrieve → generate → check. */
@Injectable()
export class ComposeService {
  constructor(
    @Inject(RetrieveService) private readonly retriever: RetrieveService,
    @Inject(GenerateService) private readonly generator: GenerateService,
    @Inject(CheckService) private readonly checker: CheckService,
    @Inject(HandoffService) private readonly handoff: HandoffService,
  ) {}

  async compose(turn: Turn, understanding: Understanding, decision: Decision): Promise<Composed> {
    let draft: Draft;
    let retrieval: Retrieval | undefined;
    let checks: CheckResult[] = [];
    if (decision.kind === 'smalltalk') {
      draft = this.generator.smalltalk(turn, decision.intent);
    } else if (decision.kind === 'handoff') {
      draft = this.handoff.draft(turn, decision.reason);
    } else {
      retrieval = await this.timed(turn, 'retrieveMs', () => this.retriever.retrieve(turn));
      const best = retrieval.passages[0];
      if (!best) {
        draft = this.handoff.draft(turn, 'no_confident_answer', retrieval.rejected[0]);
      } else {
        const answer = this.generator.answer(turn, best);
        const result = this.checker.check(retrieval, answer, this.generator.maxLength(turn));
        checks = result.checks;
        draft = result.passed ? answer : this.handoff.draft(turn, 'failed_check', best);
      }
    }
    turn.timings.totalMs = round(performance.now() - turn.startedAt);
    const trace: Record<string, unknown> = {
      intent: understanding.intent,
      rule: understanding.rule,
      decision: decision.kind,
      provider: 'fts',
      threshold: retrieval?.threshold,
      passages: [...(retrieval?.passages ?? []), ...(retrieval?.rejected ?? [])].map((p) => ({
        chunkId: p.chunkId,
        articleId: p.articleId,
        title: p.title,
        heading: p.heading,
        url: p.url,
        score: p.score,
      })),
      checks,
      handoff: draft.handoff,
      timings: turn.timings,
    };
    return { draft, trace };
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
