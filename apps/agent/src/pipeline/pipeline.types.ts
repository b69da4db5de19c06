import type { Envelope, InboundMessage, MessagePart } from '@cs/contracts';
import type { ConversationStatus, TenantSettings } from '@cs/persistence';
import type { Passage } from '@cs/knowledge';

/** One inbound message on its way through the pipeline, after it has been stored. */
export interface Turn {
  envelope: Envelope<InboundMessage>;
  inbound: InboundMessage;
  tenantId: string;
  tenantName: string;
  settings: TenantSettings;
  conversationId: string;
  conversationStatus: ConversationStatus;
  /** Our id of the stored inbound message. */
  inboundMessageId: string;
  text: string;
  /** performance.now() when the handler started; for the reply-latency metric and the trace. */
  startedAt: number;
  timings: Record<string, number>;
}

export const INTENTS = ['greeting', 'thanks', 'goodbye', 'human', 'question'] as const;
export type Intent = (typeof INTENTS)[number];

export interface Understanding {
  intent: Intent;
  /** Which rule matched, for the trace. */
  rule?: string;
}

export type Decision =
  | { kind: 'smalltalk'; intent: 'greeting' | 'thanks' | 'goodbye' }
  | { kind: 'handoff'; reason: HandoffReason }
  | { kind: 'answer' };

export type HandoffReason = 'customer_asked_for_person' | 'no_confident_answer' | 'failed_check';

export interface Retrieval {
  passages: Passage[];
  rejected: Passage[];
  threshold: number;
}

export interface CheckResult {
  name: 'confidence' | 'grounded' | 'fits_channel';
  passed: boolean;
  detail?: Record<string, unknown>;
}

/** What the agent is about to say, before it is stored. */
export interface Draft {
  text: string;
  parts: MessagePart[];
  handoff?: { reason: HandoffReason; summary: string };
}
