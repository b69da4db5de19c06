import { streamSubjects } from '@cs/contracts';

/** NATS subject matching: `*` matches one token, a trailing `>` one or more. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

export function matchesAny(patterns: string[], subject: string): boolean {
  return patterns.some((p) => subjectMatches(p, subject));
}

/** Where a durable message goes once it has failed too often: `msg.in.webchat.t1` -> `dlq.msg.in.webchat.t1`. */
export function deadLetterSubject(subject: string): string {
  return `dlq.${subject}`;
}

/**
 * The stream (CS_MSG, CS_EVENTS under this prefix) that captures every one of these relative
 * subjects or filters. Both buses refuse what no single stream holds, so a subject that only works
 * in the embedded mode cannot slip through.
 */
export function streamFor(prefix: string, relativeSubjects: string[]): string {
  const absolute = relativeSubjects.map((s) => `${prefix}.${s}`);
  for (const [name, subjects] of Object.entries(streamSubjects(prefix))) {
    if (absolute.every((a) => matchesAny(subjects, a))) return name;
  }
  throw new Error(`no durable stream captures ${relativeSubjects.join(', ')} (durable subjects start with msg., dlq. or conv.)`);
}
