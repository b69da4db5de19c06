import { BusSubjects, streamSubjects } from '@cs/contracts';

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
  return BusSubjects.deadLetter(subject);
}

export function isDeadLetterSubject(subject: string): boolean {
  return subject.startsWith('dlq.');
}

/** Whether some subject matches both patterns (`conv.>` and `conv.handoff.*` do; `conv.message.*` and `conv.handoff.*` do not). */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (i >= x.length || i >= y.length) return false;
    if (x[i] === '>' || y[i] === '>') return true;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
  return true;
}

/**
 * The stream (CS_MSG, CS_EVENTS under this prefix) that captures every one of these relative
 * subjects. Both buses refuse what no single stream holds, so a subject that only works in the
 * embedded mode cannot slip through.
 */
export function streamFor(prefix: string, relativeSubjects: string[]): string {
  const absolute = relativeSubjects.map((s) => `${prefix}.${s}`);
  for (const [name, subjects] of Object.entries(streamSubjects(prefix))) {
    if (absolute.every((a) => matchesAny(subjects, a))) return name;
  }
  throw new Error(`no durable stream captures ${relativeSubjects.join(', ')} (durable subjects are msg.>, dlq.> and the durable conv.<event>.> events)`);
}

/**
 * The stream a consumer with these filters reads: the one stream whose subjects each filter
 * overlaps (a filter may be wider than the stream, `conv.>` reading the durable conversation events).
 */
export function streamForFilters(prefix: string, filters: string[]): string {
  const absolute = filters.map((s) => `${prefix}.${s}`);
  const streams = Object.entries(streamSubjects(prefix)).filter(([, subjects]) =>
    absolute.every((f) => subjects.some((s) => subjectsOverlap(f, s))),
  );
  if (streams.length === 0) throw new Error(`no durable stream captures ${filters.join(', ')} (durable subjects are msg.>, dlq.> and the durable conv.<event>.> events)`);
  if (streams.length > 1) throw new Error(`filters ${filters.join(', ')} read several durable streams; a consumer reads one`);
  return streams[0][0];
}
