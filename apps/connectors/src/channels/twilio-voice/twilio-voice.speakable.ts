import { MessagePart, textOf } from '@cs/contracts';

/**
 * An answer for the ear: no URLs or markdown read out, at most two sentences. When the written
 * answer pointed to an article, the caller is offered the link by text instead.
 */
export function speakableAnswer(parts: MessagePart[], maxSentences = 2): string {
  const hadLink = parts.some((p) => p.type === 'source' && p.url) || /https?:\/\//.test(textOf(parts));
  const plain = textOf(parts)
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\b(?:More|Read more|See)\s*:\s*https?:\/\/\S+/gi, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/[*_`#>]+/g, '')
    .replace(/\s*\n+\s*/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const sentences = plain.match(/[^.!?]+[.!?]+|[^.!?]+$/g)?.map((s) => s.trim()).filter(Boolean) ?? [];
  const spoken = sentences.slice(0, maxSentences).join(' ');
  return hadLink ? `${spoken} Would you like me to text you the link?`.trim() : spoken;
}

const PERSON = /\b(person|human|agent|representative|operator|someone|somebody|real people|staff)\b/i;

/** The caller asks for a person ("can I speak to someone", "agent please"). */
export function asksForPerson(transcript: string): boolean {
  return PERSON.test(transcript) && /\b(speak|talk|connect|transfer|get|want|need|put|give|please|agent|human|operator|representative)\b/i.test(transcript);
}

const YES = /^(yes|yeah|yep|sure|please|ok|okay|yes please|please do|go ahead)\b/i;

export function saysYes(transcript: string): boolean {
  return YES.test(transcript.trim());
}
