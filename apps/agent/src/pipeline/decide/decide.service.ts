import { Injectable } from '@nestjs/common';
import type { Decision, Understanding } from '../pipeline.types';

/** Small talk gets a short reply, a request for a person an immediate hand-off, the rest retrieval. */
@Injectable()
export class DecideService {
  decide(understanding: Understanding, text: string): Decision {
    switch (understanding.intent) {
      case 'greeting':
      case 'thanks':
      case 'goodbye':
        return { kind: 'smalltalk', intent: understanding.intent };
      case 'human':
        return { kind: 'handoff', reason: 'customer_asked_for_person' };
      default:
        // Nothing to search for (an emoji, an empty message with an attachment): let a person look.
        return /[\p{L}\p{N}]/u.test(text) ? { kind: 'answer' } : { kind: 'handoff', reason: 'no_confident_answer' };
    }
  }
}
