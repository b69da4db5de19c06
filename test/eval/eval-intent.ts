/**
 * `npm run eval:intent -- --train F --test F [--text-col C --label-col C] [--oos-label L] [--json]`
 * Any labelled CSV with a header row: ours beside nlp.js, same metrics as `npm run eval`. Every 10th
 * training row per intent is held out as validation for the threshold; rows labelled with the
 * out-of-scope label are learned as "out of scope" (train) and measured as such (test).
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { holdOutPerIntent, type IntentExample } from '@cs/ai';
import { evalEmbeddings } from './eval-embeddings';
import { readCsvRecords } from './csv';
import { VALIDATION_EVERY, type IntentSplit } from './datasets';
import { evaluateSplit, summary, thresholdRule } from './intent-eval';

function arg(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function readLabelled(file: string, textCol: string | undefined, labelCol: string | undefined): IntentExample[] {
  const records = readCsvRecords(readFileSync(file, 'utf8'));
  if (!records.length) throw new Error(`${file}: no rows`);
  const columns = Object.keys(records[0]);
  const text = textCol ?? columns.find((c) => ['text', 'utterance', 'sentence', 'question', 'message'].includes(c.toLowerCase()));
  const label = labelCol ?? columns.find((c) => ['label', 'intent', 'category', 'class'].includes(c.toLowerCase()));
  if (!text || !columns.includes(text)) throw new Error(`${file}: text column not found (columns: ${columns.join(', ')}); use --text-col`);
  if (!label || !columns.includes(label)) throw new Error(`${file}: label column not found (columns: ${columns.join(', ')}); use --label-col`);
  return records.filter((r) => r[text]?.trim() && r[label]?.trim()).map((r) => ({ text: r[text], intent: r[label].trim() }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const trainFile = arg(args, '--train');
  const testFile = arg(args, '--test');
  if (!trainFile || !testFile) {
    console.error('usage: eval-intent --train F --test F [--text-col C --label-col C] [--oos-label L] [--json] [--no-nlpjs]');
    process.exit(2);
  }
  const textCol = arg(args, '--text-col');
  const labelCol = arg(args, '--label-col');
  const oosLabel = arg(args, '--oos-label');
  const started = Date.now();
  const log = (m: string) => process.stderr.write(`[eval-intent ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);

  const train = readLabelled(trainFile, textCol, labelCol);
  const test = readLabelled(testFile, textCol, labelCol);
  const isOos = (e: IntentExample) => oosLabel !== undefined && e.intent === oosLabel;
  const inScope = holdOutPerIntent(train.filter((e) => !isOos(e)), VALIDATION_EVERY);
  const oosRows = train.filter(isOos).map((e) => e.text);
  const split: IntentSplit = {
    name: trainFile.split('/').pop() ?? 'csv',
    train: inScope.train,
    validation: inScope.validation,
    test: test.filter((e) => !isOos(e)),
    oosTrain: oosRows.filter((_, i) => i % 2 === 0),
    oosValidation: oosRows.filter((_, i) => i % 2 === 1),
    oosTest: test.filter(isOos).map((e) => e.text),
  };

  const root = resolve(__dirname, '..', '..', '..');
  const { embeddings, fresh } = evalEmbeddings(root);
  const report = await evaluateSplit(split, { embeddings, fresh, nlpjs: !args.includes('--no-nlpjs'), rule: thresholdRule(args), log });
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ command: `node dist/test/eval/eval-intent.js ${args.join(' ')}`, ...report }, null, 2) + '\n');
    return;
  }
  console.log(`${report.dataset} (train ${report.sizes.train}, val ${report.sizes.validation}+${report.sizes.oosValidation} oos, test ${report.sizes.test}+${report.sizes.oosTest} oos)`);
  console.log(`  ours    ${summary(report.ours)}`);
  if (report.nlpjs) console.log(`  nlp.js  ${summary(report.nlpjs)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
