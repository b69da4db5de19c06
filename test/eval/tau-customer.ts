/**
 * Our scripted customer for tau-bench retail tasks: no language model, only rules over the task's
 * instruction. It asks for what the instruction wants, one request at a time (in the instruction's
 * order), and answers the agent's questions from the instruction: an order number it names, the items
 * and options it names, the refund method it prefers, its "if the agent asks for confirmation" clause.
 * It reads the agent's English sentences (pipeline/text/templates.ts, pipeline/act/act-templates.ts);
 * it never sees the task's gold actions.
 */
const VERB = /\b(cancel|return|exchange|swap|modify|change|deliver(ed)?|tracking|track)\b/i;

export interface CustomerTurn {
  text: string;
  /** The customer has nothing more to say. */
  done: boolean;
}

export class TauCustomer {
  private readonly requests: string[];
  private readonly orderIds: string[];
  private readonly confirmClauses: string[];
  private current = 0;
  private ordersGiven = 0;
  private asked = new Map<string, number>();
  private confirmations = 0;
  private repeats = 0;
  private readonly reason: string;
  readonly prefersGiftCard: boolean;

  constructor(readonly instruction: string) {
    const sentences = splitSentences(instruction);
    this.requests = sentences
      .filter((s) => VERB.test(s) && !/^\s*(if|but if|when|make sure|for (some|both))\b/i.test(s))
      .map((s) => {
        // "You are mysterious and want to cancel all pending orders" → "I want to cancel all pending orders".
        const wish = /\b(want|wish|would like|need)s? to\b.*$/i.exec(s);
        return wish ? `I ${wish[0]}` : /^\s*you (are|like|seem|speak)\b/i.test(s) ? '' : s;
      })
      .filter(Boolean)
      .flatMap(splitRequests)
      .map(firstPerson);
    this.reason = /\bby mistake\b/i.test(instruction) ? 'I ordered it by mistake' : 'I no longer need it';
    this.orderIds = [...instruction.matchAll(/#?\bW?\d{7}\b/g)].map((m) => m[0]);
    this.confirmClauses = [...instruction.matchAll(/if the agent asks (?:you )?(?:for |to )?confirm(?:ation)?(?: again)?,\s*([^.]+)\./gi)].map((m) => firstPerson(m[1]));
    this.prefersGiftCard = /\b(gift card|GC)\b/.test(instruction) && !/\bnot .{0,20}gift card\b/i.test(instruction);
  }

  get requestCount(): number {
    return this.requests.length;
  }

  opening(): CustomerTurn {
    const first = this.requests[0];
    return first ? { text: `Hi. ${capital(first)}`, done: false } : { text: 'Hi, I have a question about my order.', done: false };
  }

  /** The customer's answer to the agent's reply. */
  answer(reply: string, handedOff: boolean): CustomerTurn {
    if (handedOff) return { text: '', done: true };
    const r = reply;
    const times = (kind: string) => {
      const n = (this.asked.get(`${this.current}:${kind}`) ?? 0) + 1;
      this.asked.set(`${this.current}:${kind}`, n);
      return n;
    };
    if (/Reply "yes"/.test(r)) {
      const clause = this.confirmClauses[this.confirmations++];
      if (clause && !/\b(yes|confirm)\b/i.test(clause)) return { text: capital(clause), done: false };
      // Asked why they cancel: the reason the instruction gives, with the yes.
      return { text: /tell me why/.test(r) ? `Yes, ${this.reason}.` : 'yes', done: false };
    }
    if (/Which order is it about\?/.test(r)) return { text: this.pickOrder(r), done: false };
    if (/order number/.test(r) && !/^Done/.test(r)) {
      const id = this.orderIds[this.ordersGiven++];
      if (id) return { text: `It's ${id}.`, done: false };
      return times('order') > 1 ? this.next() : { text: "I don't remember the order number.", done: false };
    }
    if (/Should the refund go to/.test(r)) return { text: this.prefersGiftCard ? 'To my gift card, please.' : 'To the original payment method, please.', done: false };
    if (/Which items of order|What would you like instead of|I couldn't find .* in the options/.test(r)) {
      return times('details') > 2 ? this.next() : { text: capital(this.requests[this.current] ?? 'never mind'), done: false };
    }
    if (/What is the new shipping address/.test(r)) {
      const address = /\b\d+ [A-Z][\w ]+(Street|Road|Avenue|Lane|Drive|St|Rd|Ave)\b[^.]*\d{5}/.exec(this.instruction)?.[0];
      return address && times('address') === 1 ? { text: address, done: false } : this.next();
    }
    return this.next(r);
  }

  /** The next request (a request for "all" orders again, until the agent finds none), or goodbye. */
  private next(reply = ''): CustomerTurn {
    const now = this.requests[this.current] ?? '';
    if (/\ball\b[^.]*\borders\b/i.test(now) && /^Done/.test(reply) && this.repeats++ < 5) return { text: capital(now), done: false };
    this.current += 1;
    const request = this.requests[this.current];
    if (!request) return { text: "Thanks, that's all.", done: true };
    return { text: /^(cancel|return|exchange|change|modify)\b/i.test(request) ? `Also, I want to ${request}` : `Also, ${request}`, done: false };
  }

  /** From "#W1 (Lamp, Kettle); #W2 (...)": the order whose items the current request names most. */
  private pickOrder(reply: string): string {
    const request = (this.requests[this.current] ?? this.instruction).toLowerCase();
    const options = [...reply.matchAll(/(#\w+) \(([^)]*)\)/g)].map((m) => ({
      id: m[1],
      score: m[2]
        .toLowerCase()
        .split(/[^a-z]+/)
        .filter((w) => w.length > 3 && request.includes(w.replace(/s$/, ''))).length,
    }));
    const best = options.sort((a, b) => b.score - a.score)[0];
    return best ? `It's ${best.id}.` : "I'm not sure.";
  }
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "return the hose, backpack, and exchange the boots" → two requests. */
function splitRequests(sentence: string): string[] {
  const parts = sentence.split(/,?\s+and (?:also )?(?=(?:cancel|return|exchange|change|modify)\b)|;\s*(?=(?:also )?(?:cancel|return|exchange))/i);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function firstPerson(text: string): string {
  return text
    .replace(/\byou are\b/gi, 'I am')
    .replace(/\byou're\b/gi, "I'm")
    .replace(/\byou'd\b/gi, "I'd")
    .replace(/\byou've\b/gi, "I've")
    .replace(/\byourself\b/gi, 'myself')
    .replace(/\byour\b/gi, 'my')
    .replace(/\byou\b/gi, 'I')
    .trim();
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
