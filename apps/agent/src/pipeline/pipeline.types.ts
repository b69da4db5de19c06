import type { Envelope, InboundMessage, MessagePart } from '@cs/contracts';
import type { ConversationStatus, TenantSettings } from '@cs/persistence';
import type { Passage } from '@cs/knowledge';
import type { Entity, LanguageGuess, Sentiment } from '@cs/ai';

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
  /** The console's "try it": the same stages, but nothing is stored, sent or done on the shop. */
  dryRun?: boolean;
}

/** What the decide step does with an intent (libs/ai's built-in kinds; a tenant intent is a question or a hand-off). */
export type IntentKind = 'question' | 'action' | 'smalltalk' | 'handoff';

export interface Understanding {
  /** A built-in or tenant intent (`delivery_time`, `talk_to_person`...), or `out_of_scope`. */
  intent: string;
  kind: IntentKind;
  /** The classifier's probability of `intent` (1 for a rule). */
  score: number;
  /** Which rule matched, when a rule decided instead of the classifier. */
  rule?: string;
  /** The intent model's calibrated out-of-scope threshold (under it, `out_of_scope`); absent when a rule decided. */
  outOfScopeThreshold?: number;
  ranking?: { intent: string; score: number }[];
  language: LanguageGuess;
  entities: Entity[];
  sentiment: Sentiment;
  /** The instruction-like text found in the message, when it tries to steer the agent. */
  injection?: string;
  timings: { understandMs: number };
}

export type SmalltalkIntent = 'greeting' | 'thanks' | 'goodbye';

export type Decision =
  | { kind: 'smalltalk'; intent: SmalltalkIntent }
  | { kind: 'handoff'; reason: HandoffReason }
  /** `strict`: a complaint or an unhappy customer; the answer must clear a higher bar. */
  /** `action`: an action intent (order status, cancel) the act stage may carry out before anything is retrieved. */
  /** `margin`: added to the retrieval threshold by the intent model's out-of-scope evidence (decide.service.ts). */
  | { kind: 'answer'; strict?: boolean; margin?: number; action?: string };

export type HandoffReason =
  | 'customer_asked_for_person'
  | 'no_confident_answer'
  | 'failed_check'
  | 'customer_upset'
  | 'language_not_supported'
  | 'prompt_injection'
  | 'intent_needs_person'
  /** An action on the shop failed or its outcome is unknown (pipeline/act). */
  | 'action_failed'
  | 'identity_not_verified'
  /** The customer confirmed an action the tenant wants a person to approve (`actionPermissions`). */
  | 'action_needs_approval'
  /** The customer sent a file (a photo, a PDF): the agent cannot look at it, a person must. */
  | 'attachment_needs_person';

export interface Retrieval {
  passages: Passage[];
  rejected: Passage[];
  threshold: number;
  /** The text actually searched: the message, or the message with the conversation's previous question. */
  query?: string;
  /** Languages the knowledge base has articles in. */
  languages?: string[];
  provider?: string;
  timings?: Record<string, number>;
}

export interface CheckResult {
  name: 'confidence' | 'grounded' | 'fits_channel' | 'supported' | 'personal_data' | 'injection';
  passed: boolean;
  detail?: Record<string, unknown>;
}

/** What the agent is about to say, before it is stored. */
export interface Draft {
  text: string;
  parts: MessagePart[];
  handoff?: { reason: HandoffReason; summary: string };
}
