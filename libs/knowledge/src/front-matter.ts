import { parse } from 'yaml';
import { z } from 'zod';
import { parseOrThrow } from '@cs/contracts';

export const articleFrontMatterSchema = z.object({
  title: z.string().min(1),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  tags: z.array(z.string()).default([]),
  language: z.string().default('en'),
});
export type ArticleFrontMatter = z.infer<typeof articleFrontMatterSchema>;

export interface ParsedArticle {
  meta: ArticleFrontMatter;
  body: string;
}

/** `---\ntitle: ...\nslug: ...\n---\n<markdown>`; a file without front matter is refused. */
export function parseArticleFile(source: string): ParsedArticle {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new Error('article has no front matter (--- title/slug ---)');
  const meta = parseOrThrow(articleFrontMatterSchema, parse(match[1]));
  return { meta, body: match[2].trim() + '\n' };
}
