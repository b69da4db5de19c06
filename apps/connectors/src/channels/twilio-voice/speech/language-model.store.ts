import { createHash } from 'crypto';
import { existsSync } from 'fs';
import { mkdir, readFile, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import type { DataSource } from 'typeorm';
import { CALLER_PHRASES, buildArpa, sentencesOf } from './language-model';
import type { LanguageModelFiles } from './speech.types';

export const CMU_DICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

/** How long a tenant's model is reused before its knowledge base is read again. */
const REFRESH_MS = 10 * 60_000;

/**
 * One language model per tenant, built from its knowledge base and the usual caller phrases, kept
 * as files in the temp folder (pocketsphinx reads files) and rebuilt when the articles change.
 */
export class LanguageModelStore {
  private dictionary?: Promise<Map<string, string[]>>;
  private readonly built = new Map<string, { files: LanguageModelFiles; at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly dir = path.join(tmpdir(), 'cs-voice-lm'),
    private readonly dictFile = CMU_DICT,
  ) {}

  /** Null when pocketsphinx's dictionary is not installed: recognition then uses the general model. */
  async forTenant(tenantId: string): Promise<LanguageModelFiles | null> {
    const cached = this.built.get(tenantId);
    if (cached && Date.now() - cached.at < REFRESH_MS) return cached.files;
    if (!existsSync(this.dictFile)) return null;
    const rows: { content: string }[] = await this.dataSource.query(
      'SELECT content FROM knowledge_chunks WHERE tenant_id = $1 ORDER BY article_id, ordinal LIMIT 5000',
      [tenantId],
    );
    const files = await this.build([...CALLER_PHRASES, ...rows.map((r) => r.content)]);
    this.built.set(tenantId, { files, at: Date.now() });
    return files;
  }

  /** Writes (once per distinct text) the ARPA model and the dictionary of its words. */
  async build(texts: string[]): Promise<LanguageModelFiles> {
    const dictionary = await this.loadDictionary();
    const sentences = texts.flatMap(sentencesOf);
    const { arpa, vocabulary } = buildArpa(sentences, (w) => dictionary.has(w));
    const hash = createHash('sha256').update(arpa).digest('hex').slice(0, 16);
    const files = { lm: path.join(this.dir, `${hash}.arpa`), dict: path.join(this.dir, `${hash}.dic`) };
    if (!existsSync(files.lm)) {
      await mkdir(this.dir, { recursive: true });
      const dic = vocabulary.flatMap((w) => dictionary.get(w) ?? []).join('\n') + '\n';
      await writeFile(files.dict, dic);
      await writeFile(files.lm, arpa);
    }
    return files;
  }

  private loadDictionary(): Promise<Map<string, string[]>> {
    this.dictionary ??= readFile(this.dictFile, 'utf8').then((text) => {
      const map = new Map<string, string[]>();
      for (const line of text.split('\n')) {
        const head = line.split(' ', 1)[0];
        if (!head) continue;
        const word = head.replace(/\(\d+\)$/, '');
        map.set(word, [...(map.get(word) ?? []), line]);
      }
      return map;
    });
    return this.dictionary;
  }
}
