import { Inject, Injectable } from '@nestjs/common';
import { AnswerService, type Composed } from '../pipeline/turn.service';
import type { Decision, Turn, Understanding } from '../pipeline/pipeline.types';

export type { Composed };

/** Turns a decision into the reply; the brain itself (retrieve, generate, check, trace) lives in pipeline/turn.service.ts. */
@Injectable()
export class ComposeService {
  constructor(@Inject(AnswerService) private readonly answers: AnswerService) {}

  compose(turn: Turn, understanding: Understanding, decision: Decision): Promise<Composed> {
    return this.answers.compose(turn, understanding, decision);
  }
}
