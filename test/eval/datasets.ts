import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { holdOutPerIntent, type IntentExample } from '@cs/ai';
import { readCsvRecords } from './csv';

/** Data sets that ship no validation split: every 10th example of each intent is held out for it. */
export const VALIDATION_EVERY = 10;

/** An intent data set split the standard way: fit on train, choose thresholds on val, report test. */
export interface IntentSplit {
  name: string;
  train: IntentExample[];
  validation: IntentExample[];
  test: IntentExample[];
  oosTrain: string[];
  oosValidation: string[];
  oosTest: string[];
}

/** ../shared/eval seen from the project root (the repo sits next to `shared/`). */
export function evalDataDir(): string {
  const root = resolve(__dirname, '..', '..', '..');
  const candidates = [process.env.EVAL_DATA_DIR, join(root, '..', 'shared', 'eval'), join(root, '..', '..', 'shared', 'eval')];
  const found = candidates.find((c): c is string => !!c && existsSync(join(c, 'clinc150')));
  if (!found) throw new Error(`evaluation data not found (tried ${candidates.filter(Boolean).join(', ')}); set EVAL_DATA_DIR`);
  return found;
}

const pairs = (rows: [string, string][]): IntentExample[] => rows.map(([text, intent]) => ({ text, intent }));

export function loadClinc150(dir: string): IntentSplit {
  const data = JSON.parse(readFileSync(join(dir, 'clinc150', 'data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  return {
    name: 'CLINC150',
    train: pairs(data.train),
    validation: pairs(data.val),
    test: pairs(data.test),
    oosTrain: data.oos_train.map(([t]) => t),
    oosValidation: data.oos_val.map(([t]) => t),
    oosTest: data.oos_test.map(([t]) => t),
  };
}

export function loadBanking77(dir: string): IntentSplit {
  const read = (f: string) =>
    readCsvRecords(readFileSync(join(dir, 'banking77', f), 'utf8')).map((r) => ({ text: r.text, intent: r.category }));
  return { name: 'BANKING77', ...holdOutPerIntent(read('train.csv'), VALIDATION_EVERY), test: read('test.csv'), oosTrain: [], oosValidation: [], oosTest: [] };
}

/** Bitext: train on the 20k file, test on the 8k file (only 183 shared sentences). */
export function loadBitext(dir: string): IntentSplit {
  // The two releases name one intent differently.
  const alias: Record<string, string> = { check_invoices: 'check_invoice' };
  const read = (f: string) =>
    readCsvRecords(readFileSync(join(dir, 'bitext-customer-service', f), 'utf8'))
      .filter((r) => r.utterance && r.intent)
      .map((r) => ({ text: r.utterance, intent: alias[r.intent] ?? r.intent }));
  return {
    name: 'Bitext',
    ...holdOutPerIntent(read('bitext_cs_20k_27intents.csv'), VALIDATION_EVERY),
    test: read('bitext_cs_8k_27intents.csv'),
    oosTrain: [],
    oosValidation: [],
    oosTest: [],
  };
}
