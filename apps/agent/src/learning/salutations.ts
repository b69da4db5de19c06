const GREETING = /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^,.!?\n]{0,40}[,.!]\s*/i;
/** A closing after the last sentence or on its own line, and the name on the line after it. */
const CLOSING = /(?<=[.!?]|\n|^)\s*(?:best(?: regards| wishes)?|kind regards|regards|thanks|thank you|many thanks|cheers|sincerely)\b[^.!?\n]{0,40}(?:\n[^\n]{0,40})?\s*$/i;

/** "Hi Ada," and "Best, Tom" belong to the letter, not to the answer an article keeps. */
export function withoutSalutations(text: string): string {
  const body = text.trim().replace(GREETING, '');
  const closed = body.replace(CLOSING, '').trim();
  // A reply that is nothing but a closing ("Thanks, Tom") stays as it was: it is too short to suggest anyway.
  return closed || body;
}
