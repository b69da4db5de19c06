/*
 * Follow-ups lean on the previous question: "and to Canada?" after "how much is delivery?" means
 * "how much is delivery to Canada?". Without a language model the rewrite is plain concatenation,
 * which both full-text and vector search handle well: the earlier question brings the topic, the
 * follow-up the new detail.
 */
const LEAD = /^\s*(and|also|plus|or|but|what about|how about|what if|same for|same with|and what about|and how about|and if)\b[\s,]*/i;

/** Words that point back at something said before: "how much does it cost?". */
const BACK_REFERENCE = new Set(['it', 'that', 'this', 'there', 'those', 'them', 'they', 'one']);

export function isFollowUp(text: string): boolean {
  if (LEAD.test(text)) return true;
  const words = (text.match(/[\p{L}\p{N}']+/gu) ?? []).map((w) => w.toLowerCase());
  // "to Canada?", "express?": too short to be a question of its own.
  if (words.length > 0 && words.length <= 3 && /\?\s*$/.test(text)) return true;
  return words.length > 0 && words.length <= 6 && words.some((w) => BACK_REFERENCE.has(w));
}

export function rewriteWithContext(previous: string, text: string): string {
  return `${previous.trim().replace(/[?.!]+$/, '')} ${text.replace(LEAD, '').trim()}`;
}
