/**
 * `npm run eval [-- --json] [-- --only clinc,banking,bitext,epqa,policy,newtenant,actions,gaps,ab,retrain] [-- --no-nlpjs] [-- --sample N] [-- --verbose]`
 * Our intent classifier beside nlp.js on public data sets in ../shared/eval (fit on train, choose
 * thresholds on validation, report test), and the agent's own hybrid search beside BM25 alone on
 * ePQA dev. Progress goes to stderr; `--json` prints one JSON object.
 * Embeddings are cached in .tmp/ so a second run only trains and scores.
 */
import { resolve } from 'path';
import type { CachedEmbeddingProvider } from '@cs/ai';
import { evalDataDir, loadBanking77, loadBitext, loadClinc150, type IntentSplit } from './datasets';
import { evaluateEpqa, type EpqaReport } from './epqa-eval';
import { evalEmbeddings } from './eval-embeddings';
import { evaluateSplit, summary, thresholdRule, type SplitReport } from './intent-eval';
import { evaluatePolicy, type PolicyReport } from './policy-eval';
import { evaluateActions, type ActionsReport } from './actions-eval';
import { printActions } from './eval-actions';
import { evaluateGaps, gapsLines, type GapsReport } from './gaps-eval';
import { abLines, evaluateAb, type AbReport } from './ab-eval';
import { evaluateRetrain, retrainLines, type RetrainReport } from './retrain-eval';
import { bankingNewTenant, clincNewTenant, evaluateNewTenant, line, type NewTenantReport } from './newtenant-eval';

const LOADERS: Record<string, (dir: string) => IntentSplit> = { clinc: loadClinc150, banking: loadBanking77, bitext: loadBitext };
const ALL = [...Object.keys(LOADERS), 'epqa', 'policy', 'newtenant', 'actions', 'gaps', 'ab', 'retrain'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : ALL;
  const started = Date.now();
  const log = (m: string) => process.stderr.write(`[eval ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);

  const dir = evalDataDir();
  const root = resolve(__dirname, '..', '..', '..');
  const { embeddings, fresh } = evalEmbeddings(root);
  log(`data: ${dir}; embeddings ${embeddings.id}`);

  const reports: SplitReport[] = [];
  let epqa: EpqaReport | null = null;
  let policy: PolicyReport | null = null;
  let actions: ActionsReport | null = null;
  let gaps: GapsReport | null = null;
  let ab: AbReport | null = null;
  let retrain: RetrainReport | null = null;
  const newTenant: NewTenantReport[] = [];
  const sampleAt = args.indexOf('--sample');
  const sample = sampleAt >= 0 ? Number(args[sampleAt + 1]) : undefined;
  for (const key of only) {
    if (key.startsWith('newtenant')) {
      // `newtenant` runs both; `newtenant-clinc` or `newtenant-banking` one.
      const sets = { clinc: clincNewTenant, banking: bankingNewTenant };
      const which = key === 'newtenant' ? (['clinc', 'banking'] as const) : ([key.slice('newtenant-'.length)] as ('clinc' | 'banking')[]);
      for (const split of which.map((k) => sets[k](dir, sample))) {
        newTenant.push(await evaluateNewTenant(split, { embeddings, fresh, nlpjs: !args.includes('--no-nlpjs'), log }));
      }
      continue;
    }
    if (key === 'actions') {
      actions = await evaluateActions(dir, log, { sample });
      continue;
    }
    if (key === 'ab') {
      ab = evaluateAb(log);
      continue;
    }
    if (key === 'retrain') {
      retrain = await evaluateRetrain(dir, embeddings, log);
      continue;
    }
    if (key === 'gaps') {
      gaps = await evaluateGaps(dir, embeddings, log);
      continue;
    }
    if (key === 'policy') {
      policy = await evaluatePolicy(dir, log, { sample });
      continue;
    }
    if (key === 'epqa') {
      epqa = await evaluateEpqa(dir, embeddings, fresh, log);
      continue;
    }
    const load = LOADERS[key];
    if (!load) throw new Error(`unknown data set "${key}" (${ALL.join(', ')})`);
    const split = load(dir);
    await warmCache(split, embeddings, log);
    reports.push(await evaluateSplit(split, { embeddings, fresh, nlpjs: !args.includes('--no-nlpjs'), rule: thresholdRule(args), log }));
  }

  const result = {
    command: `node dist/test/eval/eval.js ${args.join(' ')}`.trim(),
    embeddings: embeddings.id,
    intent: reports,
    retrieval: epqa ? { epqa } : null,
    policy,
    newTenant: newTenant.length ? newTenant : null,
    actions,
    gaps,
    ab,
    retrain,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  if (json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  for (const r of reports) {
    console.log(`\n${r.dataset} (train ${r.sizes.train}, val ${r.sizes.validation}+${r.sizes.oosValidation} oos, test ${r.sizes.test}+${r.sizes.oosTest} oos)`);
    console.log(`  ours    ${summary(r.ours)}`);
    if (r.nlpjs) console.log(`  nlp.js  ${summary(r.nlpjs)}`);
    console.log(`  threshold rule: ${r.ours.thresholdRule}`);
  }
  if (epqa) {
    const pct = (x: number) => (100 * x).toFixed(1);
    console.log(`\nePQA dev (${epqa.questions} questions, ${epqa.answerable} with a fully answering candidate; rank each question's 10 candidates)`);
    for (const [name, r] of [['BM25 (MiniSearch)', epqa.bm25], ['USE-lite cosine', epqa.embeddings], ['ours (agent search)', epqa.ours]] as const) {
      console.log(`  ${name.padEnd(22)} P@1 ${pct(r.precisionAt1)} | nDCG@10 ${pct(r.ndcgAt10)} | answerable AUROC ${r.answerableAuroc.toFixed(3)} | latency ${r.latencyMs ? `p50 ${r.latencyMs.p50} ms p95 ${r.latencyMs.p95} ms` : 'not timed'}`);
    }
    console.log(`  ours / BM25: P@1 ${(epqa.ours.precisionAt1 / epqa.bm25.precisionAt1).toFixed(2)}x`);
  }
  for (const r of newTenant) {
    console.log(`\n${r.dataset} (${r.sizes.intents} intents, ${r.sizes.train} training examples, no out-of-scope ones; test ${r.sizes.testInScope} + ${r.sizes.testOos} out of scope)`);
    console.log(`  ours           ${line(r.ours)}`);
    console.log(`  ours+backgr.   ${line(r.oursBackground)}`);
    console.log(`  ours+unseen    ${line(r.oursUnseen)}`);
    console.log(`  agent, before  ${line(r.agentBefore)}`);
    console.log(`  agent (now)    ${line(r.agent)} | p95 ${r.agent.latencyMs.p95} ms (CPU ${r.agent.latencyMs.cpuP95})`);
    if (r.nlpjs) console.log(`  nlp.js         ${line(r.nlpjs)}`);
    console.log(`  TF-IDF softmax ${line(r.tfidfSoftmax)}`);
  }
  if (policy) {
    console.log(`\nPolicy QA (ABCD guidelines: ${policy.articles} articles, ${policy.chunks} chunks, fresh tenant, no language model)`);
    for (const o of policy.outcomes.filter((x) => x.outcome !== 'correct' && x.outcome !== 'must_handoff_handed_off')) {
      console.log(`  ${o.outcome.padEnd(22)} ${o.q}${o.reason ? ` [${o.reason}]` : ''}${o.missing ? ` missing: ${o.missing.join(', ')}` : ''}`);
      // --verbose: what the customer got and why (the reply, the intent, the threshold, the best passage, the answer check).
      if (args.includes('--verbose')) console.log(`      reply: ${o.reply.replace(/\s+/g, ' ').slice(0, 400)}\n      why: ${JSON.stringify(o.why)}`);
    }
    console.log(`  answered correctly ${policy.answeredCorrectly}/${policy.answerable}, wrongly ${policy.answeredWrongly}, handed off ${policy.handedOff}; must hand off: ${policy.mustHandoffHandedOff}/${policy.mustHandoff} handed off`);
  }
  if (actions) printActions(actions);
  if (gaps) for (const l of gapsLines(gaps)) console.log(l);
  if (ab) for (const l of abLines(ab)) console.log(l);
  if (retrain) for (const l of retrainLines(retrain)) console.log(l);
  console.log(`\ntotal ${result.seconds} s`);
}

/** Embed every sentence of the split in large batches first, with progress: the slow part of a cold run. */
async function warmCache(split: IntentSplit, embeddings: CachedEmbeddingProvider, log: (m: string) => void): Promise<void> {
  const texts = [
    ...split.train.map((e) => e.text),
    ...split.validation.map((e) => e.text),
    ...split.test.map((e) => e.text),
    ...split.oosTrain,
    ...split.oosValidation,
    ...split.oosTest,
  ];
  const before = embeddings.misses;
  for (let i = 0; i < texts.length; i += 2048) {
    await embeddings.embed(texts.slice(i, i + 2048));
    if (embeddings.misses > before) log(`${split.name}: embedded ${Math.min(i + 2048, texts.length)}/${texts.length}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
