/**
 * Bus subjects. The first token is a prefix (default `cs`) so that several deployments, or several
 * test runs, can share one NATS server without seeing each other's traffic.
 */
export type SubjectPrefix = string;

export const STREAM_MSG = 'CS_MSG';
export const STREAM_EVENTS = 'CS_EVENTS';

export const subjects = {
  msgIn: (p: SubjectPrefix, channel: string, tenantId: string) => `${p}.msg.in.${channel}.${tenantId}`,
  msgOut: (p: SubjectPrefix, channel: string, tenantId: string) => `${p}.msg.out.${channel}.${tenantId}`,
  msgStatus: (p: SubjectPrefix, channel: string, tenantId: string) => `${p}.msg.status.${channel}.${tenantId}`,
  conv: (p: SubjectPrefix, event: string, tenantId: string) => `${p}.conv.${event}.${tenantId}`,
  webhook: (p: SubjectPrefix, connectorId: string) => `${p}.webhook.${connectorId}`,
  webchatDeliver: (p: SubjectPrefix, sessionId: string) => `${p}.webchat.deliver.${sessionId}`,
  apiReply: (p: SubjectPrefix, inboundExternalId: string) => `${p}.api.reply.${inboundExternalId}`,
  deadLetter: (p: SubjectPrefix, original: string) => `${p}.dlq.${original.slice(p.length + 1)}`,
  /** Wildcards used by consumers. */
  allIn: (p: SubjectPrefix) => `${p}.msg.in.>`,
  outFor: (p: SubjectPrefix, channel: string) => `${p}.msg.out.${channel}.*`,
  statusAll: (p: SubjectPrefix) => `${p}.msg.status.>`,
  convAll: (p: SubjectPrefix) => `${p}.conv.>`,
};

/**
 * The durable conversation events (`conv.<event>.<tenantId>`, stream CS_EVENTS). The live ones
 * (`conv.message`, `conv.typing`, `conv.staff`: core emits for open inboxes and widgets) must stay
 * out of the stream: captured, every emit became a stored JetStream message that durable `conv.>`
 * consumers received (and dead-lettered) in the distributed mode only. A new durable event is
 * added here; publishing one that is not listed fails loudly ("no durable stream captures").
 */
export const DURABLE_CONVERSATION_EVENTS = ['handoff', 'assigned', 'resolved', 'reopened', 'handed_back', 'csat'] as const;

/** Subjects captured by the durable streams. */
export function streamSubjects(p: SubjectPrefix): Record<string, string[]> {
  return {
    [streamName(p, STREAM_MSG)]: [`${p}.msg.>`, `${p}.dlq.>`],
    [streamName(p, STREAM_EVENTS)]: DURABLE_CONVERSATION_EVENTS.map((event) => `${p}.conv.${event}.>`),
  };
}

export function streamName(p: SubjectPrefix, base: string): string {
  return p === 'cs' ? base : `${p.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_${base}`;
}

/** Strip the prefix and split: `cs.msg.in.webchat.t1` -> ['msg','in','webchat','t1']. */
export function subjectTokens(p: SubjectPrefix, subject: string): string[] {
  return subject.slice(p.length + 1).split('.');
}
