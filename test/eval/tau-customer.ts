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
      // What the agent cannot do (tell totals, hurry) is cut from a request, not the request dropped.
      .map((s) => s.replace(/,?\s*(and\s+)?(you\s+)?(also\s+)?(want|wish|would like) to know\b.*$/i, '.'))
      .filter((s) => VERB.test(s) && !/^\s*(if|but if|when|make sure|after)\b/i.test(s) && !/\b(ask the agent|as soon as possible)\b/i.test(s))
      .flatMap(splitRequests)
      .map(firstPerson);
    this.reason = /\bby mistake\b/i.test(instruction) ? 'I ordered it by mistake' : 'I no longer need it';
    if (this.requests.length === 0) {
      // Only conditional requests ("If the agent cannot …, exchange my current one"): the thing to do is what follows the condition.
      this.requests = sentences
        .filter((s) => /^\s*if\b/i.test(s) && VERB.test(s.split(',').slice(1).join(',')))
        .map((s) => firstPerson(s.split(',').slice(1).join(',').replace(/^\s*(then\s+)?(I don't care,\s*)?(just\s+)?/i, '').trim()))
        .slice(0, 1);
    }
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
      if (/only cancel a whole order/.test(r)) {
        // "If cancelling one item is not possible, just cancel the whole order" — or keep it.
        const then = /if (?:cancell?ing|removing|canceling) (?:one|a single|part|partial|single|one single|part of)[^,]*,\s*([^.]+)\./i.exec(this.instruction)?.[1] ?? '';
        if (!/\b(cancel(l)?ing the (whole|entire) order|cancel the (whole|entire) order|okay with cancel)/i.test(then)) return { text: 'No, please keep it.', done: false };
      }
      if (/tell me why/.test(r)) return { text: `Yes, ${this.reason}.`, done: false };
      // "Ask for a gift card for the price difference": said once, when the agent proposes the original payment.
      if (this.prefersGiftCard && /original payment method/.test(r) && times('giftcard') === 1) return { text: 'Please use my gift card instead.', done: false };
      return { text: 'yes', done: false };
    }
    if (/^Which .* do you mean:/.test(r)) {
      const which = /if the agent asks (?:you )?(?:for )?which [\w -]+?, ([^.]+)\./i.exec(this.instruction)?.[1];
      return which && times('which') === 1 ? { text: capital(firstPerson(which)), done: false } : { text: 'Both.', done: false };
    }
    if (/Which order is it about\?/.test(r)) return { text: this.pickOrder(r), done: false };
    if (/I couldn't find an order of yours/.test(r) && this.ordersGiven >= this.orderIds.length) return this.next();
    if (/order number/.test(r) && !/^Done/.test(r)) {
      const id = this.orderIds[this.ordersGiven++];
      if (id) return { text: `It's ${id}.`, done: false };
      return times('order') > 1 ? this.next() : { text: "I don't remember the order number.", done: false };
    }
    if (/Should the refund go to/.test(r)) return { text: this.prefersGiftCard ? 'To my gift card, please.' : 'To the original payment method, please.', done: false };
    if (/Which items of order|What would you like instead of|I couldn't find .* in the options/.test(r)) {
      if (times('details') > 2) return this.next();
      // The items of the list the instruction names ("you received a laptop"), then the request itself.
      const listed = /It has: (.*)\.$/.exec(r)?.[1].split(', ') ?? [];
      const named = listed.filter((item) => this.names(item));
      const request = capital(this.requests[this.current] ?? 'never mind');
      // Offered choices: the instruction's preferences ("if several …, you prefer black").
      const prefs = /What would you like instead of/.test(r) ? this.preferences() : '';
      return { text: named.length ? `The ${named.join(' and the ')}. ${request}` : `${prefs || request}`, done: false };
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
    // "All pending orders", or a list of things that may be in several orders: asked again after each one done.
    const several = /\ball\b[^.]*\borders\b/i.test(now) || (/\breturn\b/i.test(now) && !/\bexchange\b/i.test(now) && (now.match(/,/g) ?? []).length >= 2);
    if (several && /^Done/.test(reply) && this.repeats++ < 4) return { text: capital(now), done: false };
    this.current += 1;
    this.repeats = 0;
    const request = this.requests[this.current];
    if (!request) return { text: "Thanks, that's all.", done: true };
    return { text: /^(cancel|return|exchange|change|modify)\b/i.test(request) ? `Also, I want to ${request}` : `Also, ${request}`, done: false };
  }

  /** The instruction's sentences that say what to prefer among options. */
  private preferences(): string {
    return splitSentences(this.instruction)
      .filter(
        (s) =>
          /\b(prefer|if (multiple|several|there (is|are) (no|several|multiple))|go for|rather)\b/i.test(s) ||
          /\(prefer/i.test(s) ||
          // A detail of the request that asks for no action itself ("the size is too small and you want medium").
          (/\b(want|like|need)\b/i.test(s) && !VERB.test(s) && !/\b(know|confirm|ask)\b/i.test(s)),
      )
      .map(firstPerson)
      .join(' ');
  }

  /** Whether the instruction names this item ("Hiking Boots" by "boots"). */
  private names(item: string): boolean {
    const words = item.toLowerCase().replace(/\s*\(.*\)$/, '').split(/[^a-z]+/).filter((w) => w.length > 2);
    const head = words[words.length - 1];
    return !!head && this.instruction.toLowerCase().includes(head.replace(/s$/, ''));
  }

  /** From "#W1 (Lamp, Kettle); #W2 (...)": the order whose items the current request names most, then the instruction. */
  private pickOrder(reply: string): string {
    const request = (this.requests[this.current] ?? '').toLowerCase();
    const all = this.instruction.toLowerCase();
    const words = (items: string) => items.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 3).map((w) => w.replace(/s$/, ''));
    const options = [...reply.matchAll(/(#\w+) \(([^)]*)\)/g)].map((m) => ({
      id: m[1],
      score: words(m[2]).reduce((n, w) => n + (request.includes(w) ? 2 : all.includes(w) ? 1 : 0), 0),
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
  return parts.map((p) => p.trim().replace(/^also,?\s+/i, '')).filter((p) => p.length > 0);
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
