import { Injectable } from '@nestjs/common';
import type { Turn } from '../pipeline.types';

export type GuardVerdict = { proceed: true } | { proceed: false; reason: 'person_owns_conversation' | 'automated_message' | 'resolved' | 'feedback' };

/**
 * Who may answer. A conversation waiting for or assigned to a person is theirs: the agent stores
 * the message and lets the live inbox know, but stays silent. Auto-replies and bounces
 * (Auto-Submitted, RFC 3834) are never answered, or two robots would talk forever.
 */
@Injectable()
export class GuardService {
  check(turn: Turn): GuardVerdict {
    if (turn.conversationStatus === 'waiting' || turn.conversationStatus === 'assigned' || turn.inbound.channelData.staff === true) {
      return { proceed: false, reason: 'person_owns_conversation' };
    }
    // A new message reopens a resolved conversation before this point: still resolved means this
    // very message resolved it ("This solved it", a ✅), and there is nothing to answer.
    if (turn.conversationStatus === 'resolved') return { proceed: false, reason: 'resolved' };
    // "No, this did not answer my question" is a rating, not a question: the widget offers a person
    // next, and a second answer from the bot would only repeat the first.
    if (turn.inbound.channelData.action === 'not_helpful') return { proceed: false, reason: 'feedback' };
    const autoSubmitted = turn.inbound.channelData.autoSubmitted ?? turn.inbound.channelData['Auto-Submitted'];
    if (typeof autoSubmitted === 'string' && autoSubmitted.toLowerCase() !== 'no') {
      return { proceed: false, reason: 'automated_message' };
    }
    return { proceed: true };
  }
}
