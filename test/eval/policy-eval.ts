import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { DataSource } from 'typeorm';
import { makeEnvelope, MESSAGE_TYPES, newId, type InboundMessage } from '@cs/contracts';
import { KnowledgeIndexer } from '@cs/knowledge';
import { KnowledgeArticle } from '@cs/persistence';
import { startEmbeddedAgent } from './embedded-agent';
import { IntentModels } from '../../apps/agent/src/pipeline/ai/intent-models.service';
import { TurnService } from '../../apps/agent/src/pipeline/turn.service';
import type { Turn } from '../../apps/agent/src/pipeline/pipeline.types';

/**
 * Policy QA over knowledge nobody tuned for: ABCD's agent guidelines (55 workflows of a fictional
 * clothing shop) imported as Markdown articles into a fresh tenant, the way a shop imports its help
 * pages, and our own customer questions (policy-questions.json) sent through the agent's real
 * pipeline (AgentModule on PGlite, TurnService: guard → understand → decide → retrieve → generate →
 * check), without a language model. A question the guidelines answer is answered correctly when the
 * reply is not a hand-off and contains every required phrase; one they do not answer must be handed off.
 */
interface Guidelines {
  [flow: string]: {
    description: string;
    subflows: Record<string, { instructions: string[]; actions: { button: string; text: string; subtext: string[] }[] }>;
  };
}

interface QuestionFile {
  answerable: { q: string; answers: (string | string[])[] }[];
  handoff: { q: string }[];
}

export interface PolicyOutcome {
  q: string;
  outcome: 'correct' | 'wrong' | 'handed_off' | 'must_handoff_handed_off' | 'must_handoff_answered';
  reason?: string;
  reply: string;
  missing?: string[];
  /** From the trace: the intent, the retrieval threshold and the best passage's confidence. */
  why: { intent: unknown; threshold: unknown; best: unknown; answers?: unknown };
}

export interface PolicyReport {
  articles: number;
  chunks: number;
  answerable: number;
  answeredCorrectly: number;
  answeredWrongly: number;
  handedOff: number;
  mustHandoff: number;
  mustHandoffHandedOff: number;
  /** Shares of the answerable questions / of the must-hand-off questions. */
  rates: { correct: number; wrong: number; handedOff: number; mustHandoffHandedOff: number };
  /** Every question's outcome, for reading the misses (our own questions, not third-party text). */
  outcomes: PolicyOutcome[];
}

/** One article per workflow; its steps are sections, their details a list (" > " marks a nested step). */
export function guidelinesAsMarkdown(guidelines: Guidelines): { slug: string; title: string; body: string }[] {
  const articles: { slug: string; title: string; body: string }[] = [];
  for (const [flow, { description, subflows }] of Object.entries(guidelines)) {
    for (const [name, sub] of Object.entries(subflows)) {
      const lines = [`# ${name}`, '', `${flow}: ${description}.`, '', ...sub.instructions.flatMap((i) => [i, ''])];
      for (const action of sub.actions) {
        lines.push(`## ${action.button === 'N/A' ? 'Next step' : action.button}`, '', action.text, '');
        for (const item of action.subtext) {
          const [head, ...nested] = item.split(/\s+>\s+/);
          lines.push(`- ${head}`, ...nested.map((n) => `  - ${n}`));
        }
        lines.push('');
      }
      const slug = `${flow}-${name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      articles.push({ slug, title: name, body: lines.join('\n') });
    }
  }
  return articles;
}

export function questionFile(): QuestionFile {
  return JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'test', 'eval', 'policy-questions.json'), 'utf8')) as QuestionFile;
}

function contains(reply: string, phrase: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ');
  return norm(reply).includes(norm(phrase));
}

export async function evaluatePolicy(dataDir: string, log: (m: string) => void, opts: { sample?: number } = {}): Promise<PolicyReport> {
  const guidelines = JSON.parse(readFileSync(join(dataDir, 'abcd', 'guidelines.json'), 'utf8')) as Guidelines;
  const questions = questionFile();
  const dbDir = mkdtempSync(join(tmpdir(), 'policy-eval-'));
  const app = await startEmbeddedAgent(dbDir);
  try {
    const ds = app.get(DataSource);
    const tenantId = newId();
    await ds.query('INSERT INTO tenants (id, name, slug, settings) VALUES ($1, $2, $3, $4)', [tenantId, 'Acme Clothing', 'acme', JSON.stringify({})]);
    const articles = guidelinesAsMarkdown(guidelines);
    let chunks = 0;
    await ds.transaction(async (m) => {
      const repo = m.getRepository(KnowledgeArticle);
      const indexer = new KnowledgeIndexer();
      for (const a of articles) {
        const article = repo.create({ id: newId(), tenantId, slug: a.slug, title: a.title, body: a.body, url: `http://acme.test/help/${a.slug}`, language: 'en', tags: [], version: 1, published: true });
        await repo.insert(article);
        chunks += (await indexer.indexArticle(m, article)).inserted;
      }
    });
    log(`policy: ${articles.length} articles, ${chunks} chunks in a fresh tenant; training the built-in intent model`);
    await app.get(IntentModels).forTenant(undefined);
    const turns = app.get(TurnService);

    const pick = <T>(xs: T[]) => (opts.sample ? xs.filter((_, i) => i % Math.ceil(xs.length / opts.sample!) === 0) : xs);
    const outcomes: PolicyOutcome[] = [];
    const ask = async (q: string) => {
      const reply = await turns.run(turnOf(tenantId, q), () => undefined);
      if (!reply) throw new Error(`no reply to "${q}"`);
      const passages = reply.trace.passages as { score: number; title: string }[] | undefined;
      const answers = (reply.trace.checks as { name: string; detail?: unknown }[] | undefined)?.find((c) => c.name === 'answers_question')?.detail;
      const why = { intent: reply.trace.intent, threshold: reply.trace.threshold, best: passages?.[0] ? `${passages[0].score} ${passages[0].title}` : null, answers };
      return { ...reply.draft, why };
    };
    for (const { q, answers } of pick(questions.answerable)) {
      const draft = await ask(q);
      if (draft.handoff) {
        outcomes.push({ q, outcome: 'handed_off', reason: draft.handoff.reason, reply: draft.text, why: draft.why });
        continue;
      }
      const missing = answers.filter((a) => !(Array.isArray(a) ? a : [a]).some((alt) => contains(draft.text, alt))).map((a) => (Array.isArray(a) ? a.join(' | ') : a));
      outcomes.push({ q, outcome: missing.length ? 'wrong' : 'correct', reply: draft.text, why: draft.why, ...(missing.length ? { missing } : {}) });
    }
    for (const { q } of pick(questions.handoff)) {
      const draft = await ask(q);
      outcomes.push({ q, outcome: draft.handoff ? 'must_handoff_handed_off' : 'must_handoff_answered', reason: draft.handoff?.reason, reply: draft.text, why: draft.why });
    }
    const count = (o: PolicyOutcome['outcome']) => outcomes.filter((x) => x.outcome === o).length;
    const answerable = outcomes.length - count('must_handoff_handed_off') - count('must_handoff_answered');
    const mustHandoff = outcomes.length - answerable;
    const share = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 1000 : 0);
    return {
      articles: articles.length,
      chunks,
      answerable,
      answeredCorrectly: count('correct'),
      answeredWrongly: count('wrong'),
      handedOff: count('handed_off'),
      mustHandoff,
      mustHandoffHandedOff: count('must_handoff_handed_off'),
      rates: {
        correct: share(count('correct'), answerable),
        wrong: share(count('wrong'), answerable),
        handedOff: share(count('handed_off'), answerable),
        mustHandoffHandedOff: share(count('must_handoff_handed_off'), mustHandoff),
      },
      outcomes,
    };
  } finally {
    await app.close();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/** A web-chat customer's first message in a new conversation (nothing stored: the pipeline only reads). */
export function turnOf(tenantId: string, text: string): Turn {
  const inbound: InboundMessage = {
    connectorId: 'webchat',
    channel: 'webchat',
    channelAccountId: 'policy-eval',
    externalMessageId: newId(),
    sender: { externalUserId: newId() },
    receivedAt: new Date().toISOString(),
    parts: [{ type: 'text', text }],
    channelData: {},
  };
  return {
    envelope: makeEnvelope(MESSAGE_TYPES.inbound, tenantId, inbound),
    inbound,
    tenantId,
    tenantName: 'Acme Clothing',
    settings: {},
    conversationId: newId(),
    conversationStatus: 'bot',
    inboundMessageId: newId(),
    text,
    startedAt: performance.now(),
    timings: {},
  };
}
