import { performance } from 'perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { builtinIntentKind, understandMessage, type IntentClassifier } from '@cs/ai';
import type { TenantIntent } from '@cs/knowledge';
import { IntentModels, type LearnedExamples } from '../ai/intent-models.service';
import { LearnedIntents } from '../../learning/learned-intents.service';
import type { IntentKind, Turn, Understanding } from '../pipeline.types';
import { detectInjection } from '../text/injection';
import { calibrationRecord } from './intent-calibration';

/*
 * Precise rules run before the classifier: a customer who plainly asks for a person must get one
 * whatever a model thinks, and small talk is recognised by rule only when the whole message is
 * small talk ("hi, where is my order?" is a question).
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

export interface RuleMatch {
  intent: 'talk_to_person' | 'greeting' | 'thanks' | 'goodbye';
  rule: string;
}

export function matchRules(text: string): RuleMatch | undefined {
  const message = text.trim();
  const person = PERSON.findIndex((re) => re.test(message));
  if (person >= 0) return { intent: 'talk_to_person', rule: `person#${person}` };
  if (GREETING.test(message)) return { intent: 'greeting', rule: 'greeting' };
  if (THANKS.test(message)) return { intent: 'thanks', rule: 'thanks' };
  if (GOODBYE.test(message)) return { intent: 'goodbye', rule: 'goodbye' };
  return undefined;
}

/** Language, intent (rules, then the trained classifier), entities, sentiment and injection attempts. */
@Injectable()
export class UnderstandService {
  private readonly logger = new Logger(UnderstandService.name);
  /** `tenantId:model` pairs recorded by this process: the settings a turn carries may predate the write. */
  private readonly recorded = new Set<string>();

  constructor(
    @Inject(IntentModels) private readonly models: IntentModels,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(LearnedIntents) private readonly learned: LearnedIntents,
  ) {}

  async understand(turn: Turn): Promise<Understanding> {
    const started = performance.now();
    const tenantIntents = Array.isArray(turn.settings.intents) ? (turn.settings.intents as TenantIntent[]) : undefined;
    const rule = matchRules(turn.text);
    // The tenant's promoted retraining (relabels and confirmed resolutions), when there is one (issue 18).
    const learned = rule ? undefined : await this.learned.forSettings(turn.tenantId, turn.settings).catch(() => undefined);
    const classifier = rule ? undefined : await this.models.forTurn(tenantIntents, undefined, learned);
    if (classifier) this.recordCalibration(turn, classifier, tenantIntents, learned);
    const result = await understandMessage(turn.text, { classifier });
    const base = { language: result.language, entities: result.entities, sentiment: result.sentiment, injection: detectInjection(turn.text) };
    const timings = { understandMs: Math.round((performance.now() - started) * 100) / 100 };
    if (rule) return { ...base, intent: rule.intent, kind: rule.intent === 'talk_to_person' ? 'handoff' : 'smalltalk', score: 1, rule: rule.rule, timings };
    const prediction = result.intent;
    if (!classifier) return { ...base, intent: 'unclassified', kind: 'question', score: 0, rule: 'model_warming_up', timings };
    const intent = prediction?.intent ?? 'out_of_scope';
    const kind: IntentKind = builtinIntentKind(prediction?.intent ?? null) ?? tenantKind(tenantIntents, intent) ?? 'question';
    return { ...base, intent, kind, score: round(prediction?.score ?? 0), outOfScopeThreshold: round(classifier.threshold), confidence: round(prediction?.confidence ?? 0), ranking: prediction?.ranking.slice(0, 3).map((r) => ({ intent: r.intent, score: round(r.score) })), timings };
  }

  /**
   * Keeps the tenant's settings saying which threshold its model uses and why, once per model: the
   * console reads it there. Off the turn's path (a failed write is logged, the turn goes on).
   */
  private recordCalibration(turn: Turn, classifier: IntentClassifier, intents: TenantIntent[] | undefined, learned: LearnedExamples | undefined): void {
    const key = this.models.keyOfModel(classifier);
    // The built-in model stands in while the tenant's own trains: record only the tenant's own.
    if (!key || key !== this.models.keyFor(intents, learned)) return;
    const stored = turn.settings.intentCalibration as { model?: string } | undefined;
    const seen = `${turn.tenantId}:${key}`;
    if (stored?.model === key || this.recorded.has(seen)) return;
    this.recorded.add(seen);
    const record = calibrationRecord(classifier, key, intents?.length ?? 0);
    this.db
      .query(`UPDATE tenants SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{intentCalibration}', $2::jsonb) WHERE id = $1`, [turn.tenantId, JSON.stringify(record)])
      .catch((err: Error) => {
        this.recorded.delete(seen);
        this.logger.warn(`could not record the intent calibration: ${err.message}`);
      });
  }
}

function tenantKind(intents: TenantIntent[] | undefined, name: string): IntentKind | undefined {
  return intents?.find((i) => i.name === name)?.kind;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
