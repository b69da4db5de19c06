/*
 * Text that tries to steer the agent instead of asking it something ("ignore previous
 * instructions", "you are now...", "print your system prompt"). A heuristic, tuned for precision:
 * customer text reaches a language model only delimited and marked as data, so this is a second
 * line. A customer message that matches is refused and handed to a person; an article passage that
 * matches is left out of the model's context.
 */
const PATTERNS: RegExp[] = [
  /\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(previous|prior|above|earlier|all|any|your|the|these|those)\b[^.!?\n]{0,30}\b(instructions?|prompts?|rules|guidelines|directions|context|messages?)\b/i,
  /\b(system|developer|hidden|initial|original)\s+(prompt|message|instructions?)\b/i,
  /\byou\s+are\s+now\b|\bfrom\s+now\s+on\s+(you|act|respond|answer)\b|\bact\s+as\s+(a|an|my|the)\b|\bpretend\s+(to\s+be|you\s+are)\b/i,
  /\b(jailbreak|DAN mode|developer mode|do anything now)\b/i,
  /\bnew\s+(instructions?|rules)\s*:/i,
  /<\/?\s*(system|assistant|instructions?)\s*>|\[\s*(system|INST)\s*\]/i,
  /\b(reveal|print|show|repeat|output)\b[^.!?\n]{0,30}\b(your|the)\s+(prompt|instructions|rules|configuration)\b/i,
];

/** The matching text, or undefined when the message reads as an ordinary one. */
export function detectInjection(text: string): string | undefined {
  for (const pattern of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return undefined;
}
