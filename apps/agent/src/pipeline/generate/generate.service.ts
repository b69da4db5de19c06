import { Injectable } from '@nestjs/common';
import type { MessagePart, ReplyLanguage } from '@cs/contracts';
import type { Passage } from '@cs/knowledge';
import type { Draft, SmalltalkIntent, Turn } from '../pipeline.types';
import { CHANNEL_MAX_TEXT, CHANNELS_WITH_LINK_IN_TEXT } from './channel-limits';
import { cut, extractAnswer } from './extractive-answer';
import { moreLink } from '../text/links';
import { render } from '../text/templates';

/**
 * Without a language model (the foundation), answers are extractive: the best passage's most
 * relevant sentences, cut to the channel's length, with the article as a `source` part. The agent's
 * own sentences (small talk, the clarifying question, the link's label) come from templates.ts in
 * the customer's language.
 */
@Injectable()
export class GenerateService {
  smalltalk(turn: Turn, intent: SmalltalkIntent, language: ReplyLanguage): Draft {
    const text = render(language, intent, { shop: turn.tenantName });
    return { text, parts: [{ type: 'text', text }] };
  }

  answer(turn: Turn, best: Passage, language: ReplyLanguage): Draft {
    const max = CHANNEL_MAX_TEXT[turn.inbound.channel];
    const link = best.url && CHANNELS_WITH_LINK_IN_TEXT.has(turn.inbound.channel) ? `\n\n${moreLink(language, best.url)}` : '';
    const answer = extractAnswer(turn.text, best.content, Math.max(40, max - link.length));
    const text = cut(answer + link, max);
    const source: MessagePart = { type: 'source', title: best.title, articleId: best.articleId, ...(best.url ? { url: best.url } : {}) };
    return { text, parts: [{ type: 'text', text }, source] };
  }

  /** One question naming both candidates, when two articles answer about equally well. */
  clarify(first: Passage, second: Passage, language: ReplyLanguage): Draft {
    const text = render(language, 'clarify', { first: first.title, second: second.title });
    return { text, parts: [{ type: 'text', text }] };
  }

  /** A model's answer (its [n] citations kept), with a `source` part per cited passage. */
  fromModel(turn: Turn, answer: string, cited: Passage[]): Draft {
    const max = CHANNEL_MAX_TEXT[turn.inbound.channel];
    const text = answer.length > max ? cut(answer, max) : answer;
    const used = [...new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))].map((n) => cited[n - 1]).filter((p): p is Passage => !!p);
    const sources: MessagePart[] = used.map((p) => ({ type: 'source', title: p.title, articleId: p.articleId, ...(p.url ? { url: p.url } : {}) }));
    return { text, parts: [{ type: 'text', text }, ...sources] };
  }

  maxLength(turn: Turn): number {
    return CHANNEL_MAX_TEXT[turn.inbound.channel];
  }
}
