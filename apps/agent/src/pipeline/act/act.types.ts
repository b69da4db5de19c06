/** What the act stage did with a turn: a reply of its own, or a hand-off saying what was not done. */
export interface ActOutcome {
  text?: string;
  handoff?: { reason: 'action_failed' | 'identity_not_verified'; notDone: string };
  /** For the message trace: the action, its steps, identity result (never the values), the backend call. */
  trace: Record<string, unknown>;
}
