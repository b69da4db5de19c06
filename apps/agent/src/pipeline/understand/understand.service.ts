import { Injectable } from '@nestjs/common';
import type { Understanding } from '../pipeline.types';

/*
 * Minimal rules for the foundation; the "agent's brain" issue replaces them with a trained intent
 * model. Small talk is recognised only when the whole message is small talk: "hi, where is my
 * order?" is a question.
 */
const PERSON = [
  /\b(talk|speak|chat|connect|transfer|put)\s+(me\s+)?(to|with|through to)\s+(a|an|the|some|your)?\s*(real\s+|live\s+|actual\s+)?(human|person|people|agent|someone|somebody|representative|rep|operator|manager|staff|team member|member of (your )?staff)\b/i,
  /\b(real|live|actual)\s+(human|person|agent)\b/i,
  /^\s*(human|agent|operator|representative|person)( please| pls)?\s*[.!?]*\s*$/i,
  /\b(want|need|like)\s+(a|to\s+speak\s+to\s+a)?\s*(human|person|representative)\b/i,
];
const GREETING = /^(hi|hello|hey|hiya|howdy|greetings|good (morning|afternoon|evening)|yo)( there| all| team)?([\s,!.]+(how are you|how's it going)\??)?[\s!.,]*$/i;
const THANKS = /^(ok(ay)?[\s,]+|great[\s,]+|perfect[\s,]+|awesome[\s,]+)?(thanks?|thank you|thx|ty|cheers|many thanks)( (so|very) much| a lot| again)?( for (your|the) help)?[\s!.,]*$/i;
const GOODBYE = /^(ok(ay)?[\s,]+)?(bye|goodbye|good bye|see you|see ya|have a (nice|good|great) day|that's all|that is all)[\s!.,]*$/i;

@Injectable()
export class UnderstandService {
  understand(text: string): Understanding {
    const message = text.trim();
    const person = PERSON.findIndex((re) => re.test(message));
    if (person >= 0) return { intent: 'human', rule: `person#${person}` };
    if (GREETING.test(message)) return { intent: 'greeting', rule: 'greeting' };
    if (THANKS.test(message)) return { intent: 'thanks', rule: 'thanks' };
    if (GOODBYE.test(message)) return { intent: 'goodbye', rule: 'goodbye' };
    return { intent: 'question' };
  }
}
