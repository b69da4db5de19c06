import { Injectable } from '@nestjs/common';
import type { MessagePart, ReplyLanguage } from '@cs/contracts';
import { DEFAULT_CONFIDENCE_THRESHOLD, type Passage } from '@cs/knowledge';
import type { Draft, Retrieval, SmalltalkIntent, Turn } from '../pipeline.types';
import { CHANNEL_MAX_TEXT, CHANNELS_WITH_LINK_IN_TEXT } from './channel-limits';
import { composeAnswer, cut } from './extractive-answer';
import { moreLink } from '../text/links';
import { RELEVANCE_BAR } from '../text/answer-type';
import { render } from '../text/templates';

/**
 * A passage found by meaning alone (no word of the question in it) vouches for its sentences only when
 * retrieval is surer of it than the tenant's threshold: a cosine just over the bar is as often a topic
 * that merely sounds alike ("my coupon expired" against a returns rule).
 */
const MEANING_ALONE_MARGIN = 0.1;

/** How much better one of two tied passages' best sentence must answer for the agent to answer from it rather than ask. */
const TIE_BREAK = 0.1;

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

  /**
   * The extractive answer from `best`, or from the passage among `retrieval`'s answering ones whose
   * sentence answers the question clearly better (and a second one for the part of the question the
   * first leaves out), weighed with retrieval's word rarities and sentence similarities.
   */
  answer(turn: Turn, best: Passage, language: ReplyLanguage, retrieval?: Pick<Retrieval, 'passages' | 'termWeights' | 'sentenceSimilarity'>): Draft {
    const max = CHANNEL_MAX_TEXT[turn.inbound.channel];
    const passages = [best, ...(retrieval?.passages ?? []).filter((p) => p.chunkId !== best.chunkId)];
    // The tenant's own bar, before any margin a complaint or an out-of-scope intent added for this turn.
    const baseline = typeof turn.settings.confidenceThreshold === 'number' ? turn.settings.confidenceThreshold : DEFAULT_CONFIDENCE_THRESHOLD;
    const sources = passages.map((p) => ({ content: p.content, heading: p.heading, confidence: p.score, byMeaningOnly: p.signals?.fts === 0 && p.score >= baseline + MEANING_ALONE_MARGIN, similarity: retrieval?.sentenceSimilarity?.[p.chunkId] }));
    // The link is the best sentence's article; its length is known only once that is chosen.
    const linkOf = (p: Passage) => (p.url && CHANNELS_WITH_LINK_IN_TEXT.has(turn.inbound.channel) ? `\n\n${moreLink(language, p.url)}` : '');
    const room = Math.max(40, max - Math.max(...passages.map((p) => linkOf(p).length)));
    const composed = composeAnswer(turn.text, sources, room, { weights: retrieval?.termWeights });
    const used = composed ? [passages[composed.source], ...(composed.second !== undefined ? [passages[composed.second]] : [])] : [best];
    const text = cut((composed?.text ?? '') + linkOf(used[0]), max);
    const parts: MessagePart[] = used.map((p) => ({ type: 'source', title: p.title, articleId: p.articleId, ...(p.url ? { url: p.url } : {}) }));
    const relevance = composed ? { score: composed.relevance, lexical: composed.lexical, semantic: composed.semantic } : { score: 0, lexical: 0, semantic: null };
    return { text, parts: [{ type: 'text', text }, ...parts], relevance };
  }

  /**
   * Of two passages retrieval cannot tell apart, the one whose best sentence answers the whole
   * question clearly better (by TIE_BREAK), or undefined: then the customer is asked which they mean.
   * When neither answers, the first (the check will hand the answer off).
   */
  preferred(turn: Turn, tied: [Passage, Passage], retrieval: Pick<Retrieval, 'termWeights' | 'sentenceSimilarity'>): Passage | undefined {
    const relevance = tied.map((p) => composeAnswer(turn.text, [{ content: p.content, heading: p.heading, similarity: retrieval.sentenceSimilarity?.[p.chunkId] }], Number.MAX_SAFE_INTEGER, { weights: retrieval.termWeights })?.relevance ?? 0);
    // Neither answers: asking which one the customer means would offer two wrong answers; the best
    // one goes on to the check, which hands it off.
    if (Math.max(...relevance) < RELEVANCE_BAR) return tied[0];
    if (Math.abs(relevance[0] - relevance[1]) < TIE_BREAK) return undefined;
    return relevance[0] > relevance[1] ? tied[0] : tied[1];
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
