/** The agent's decision trace (stored on each of its messages) told in plain words for the team. */
export interface Trace {
  intent?: string | null;
  intentScore?: number | null;
  rule?: string | null;
  /** The detected language: a code, or `{ language, confidence }`. */
  language?: string | { language?: string; confidence?: number } | null;
  sentiment?: unknown;
  decision?: string;
  generator?: string;
  threshold?: number | null;
  passages?: { title?: string; heading?: string | null; url?: string | null; score?: number }[];
  checks?: { name: string; passed: boolean; detail?: Record<string, unknown> }[];
  handoff?: { reason?: string; summary?: string } | null;
  action?: Record<string, unknown>;
}

export const HANDOFF_REASONS: Record<string, string> = {
  no_confident_answer: 'no article answered the question confidently enough',
  customer_asked_for_person: 'the customer asked for a person',
  customer_upset: 'the customer seemed upset',
  intent_needs_person: 'this kind of request always goes to a person',
  failed_check: 'the drafted answer failed a check',
  prompt_injection: 'the message tried to instruct the bot',
  action_failed: 'the shop system did not complete the action',
  action_needs_approval: 'the action needs a person’s approval',
  identity_not_verified: 'the customer’s identity could not be verified',
  invented_number: 'the draft mentioned a number no article contains',
  misattributed_number: 'the draft attributed a number wrongly',
  feedback: 'the customer said the answer did not help',
};

const DECISIONS: Record<string, string> = {
  answer: 'answer from the knowledge base',
  handoff: 'hand the conversation to a person',
  smalltalk: 'reply to small talk',
  clarify: 'ask a clarifying question',
  act: 'carry out an action',
};

const CHECKS: Record<string, string> = {
  confidence: 'Confidence over the threshold',
  grounded: 'Grounded in the passages',
  supported: 'Every claim supported',
  fits_channel: 'Fits the channel',
  personal_data: 'No one else’s personal data',
  injection: 'No instructions hidden in the message',
};

export function handoffReason(reason: string | undefined): string {
  return (reason && HANDOFF_REASONS[reason]) ?? reason?.replace(/_/g, ' ') ?? 'unknown';
}

const score = (value: number | null | undefined) => (typeof value === 'number' ? value.toFixed(2) : '—');

export function TraceView({ trace }: { trace: Trace }) {
  const threshold = typeof trace.threshold === 'number' ? trace.threshold : null;
  const language = typeof trace.language === 'string' ? trace.language : trace.language?.language;
  return (
    <div class="trace" data-trace>
      <p>
        Understood as <strong>{trace.intent ?? 'no known intent'}</strong>
        {typeof trace.intentScore === 'number' && <> (score {score(trace.intentScore)})</>}
        {trace.rule && <> by the rule “{trace.rule}”</>}
        {language && <>, language {language}</>}.
      </p>
      {trace.decision && (
        <p>
          Decided to <strong>{DECISIONS[trace.decision] ?? trace.decision}</strong>
          {trace.generator && <> (answer written by the {trace.generator} generator)</>}.
        </p>
      )}
      {trace.passages && trace.passages.length > 0 && (
        <>
          <p>
            Passages found{threshold !== null && <> (answers need a score of {score(threshold)} or more)</>}:
          </p>
          <ul>
            {trace.passages.map((p, i) => (
              <li key={i} data-passage-score={p.score}>
                {p.title ?? 'untitled'}
                {p.heading && p.heading !== p.title && <> — {p.heading}</>}: score <strong>{score(p.score)}</strong>
                {threshold !== null && typeof p.score === 'number' && (p.score >= threshold ? ' (confident)' : ' (below the threshold)')}
              </li>
            ))}
          </ul>
        </>
      )}
      {trace.checks && trace.checks.length > 0 && (
        <ul class="checks">
          {trace.checks.map((c) => (
            <li key={c.name} class={c.passed ? 'pass' : 'fail'}>
              <span aria-hidden="true">{c.passed ? '✓' : '✗'}</span> {CHECKS[c.name] ?? c.name}: {c.passed ? 'passed' : 'failed'}
            </li>
          ))}
        </ul>
      )}
      {trace.handoff && (
        <p class="handoff-why">
          Handed off because <strong>{handoffReason(trace.handoff.reason)}</strong>.
        </p>
      )}
    </div>
  );
}
