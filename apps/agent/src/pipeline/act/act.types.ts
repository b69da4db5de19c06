/** What the act stage did with a turn: a reply of its own, or a hand-off saying what was not done. */
export interface ActOutcome {
  text?: string;
  handoff?: {
    reason: 'action_failed' | 'identity_not_verified' | 'action_needs_approval';
    /** What was not done, in the customer's language; said before the holding message. */
    notDone: string;
    /** For the person who picks it up (English, like the hand-off summary): the action and the order. */
    note?: string;
  };
  /**
   * What the reply may show besides boilerplate: the customer's own words in this conversation, the
   * order they proved is theirs (its number, email, phone), where a code went. Anything personal
   * beyond it fails the personal-data check.
   */
  allowed?: string[];
  /** For the message trace: the action, its steps, identity result (never the values), the backend call. */
  trace: Record<string, unknown>;
}

/** The tenant's say per action (`settings.actionPermissions`): do it alone, only after a person approves, or never. */
export type ActionPermission = 'alone' | 'approval' | 'never';
