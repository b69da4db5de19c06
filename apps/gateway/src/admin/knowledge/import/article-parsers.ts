import * as path from 'path';
import { z } from 'zod';
import { describeZodError, safeStrings, safeText } from '@cs/contracts';
import { parseArticleFile } from '@cs/knowledge';
import { slugify } from '../dto/article.dto';

/** One article found in an imported file. */
export interface ImportedArticle {
  title: string;
  body: string;
  slug?: string;
  url?: string | null;
  tags?: string[];
  language?: string;
}

export const IMPORT_FORMATS = ['markdown', 'html', 'csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const importedArticleSchema = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().min(1).max(200_000),
  slug: z.string().regex(/^[a-z0-9-]+$/).max(120).optional(),
  url: z.url().max(2000).nullable().optional(),
  tags: z.union([z.array(z.string().trim().min(1)), z.string().transform(splitTags)]).optional(),
  language: z.string().min(2).max(10).optional(),
});

export function formatOf(fileName: string): ImportFormat | null {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  return null;
}

/**
 * The articles in one file; throws an Error whose message says what is wrong with the file. An
 * uploaded file is console input like any body: its text is made safe (NUL, control characters,
 * lone surrogates), before parsing and again after (a JSON file may spell a NUL as `\u0000`).
 */
export function parseImportFile(fileName: string, content: string): ImportedArticle[] {
  return safeStrings(parseCleanFile(fileName, safeText(content)));
}

function parseCleanFile(fileName: string, content: string): ImportedArticle[] {
  switch (formatOf(fileName)) {
    case 'markdown':
      return [fromMarkdown(fileName, content)];
    case 'html':
      return [fromHtml(fileName, content)];
    case 'csv':
      return rowsToArticles(csvRecords(content));
    case 'json': {
      const parsed: unknown = JSON.parse(content);
      return rowsToArticles(Array.isArray(parsed) ? parsed : [parsed]);
    }
    default:
      throw new Error('unsupported file type (use .md, .html, .csv or .json)');
  }
}

function fromMarkdown(fileName: string, content: string): ImportedArticle {
  if (/^---\r?\n/.test(content)) {
    const { meta, body } = parseArticleFile(content);
    return { title: meta.title, slug: meta.slug, tags: meta.tags, language: meta.language, body };
  }
  const heading = /^#\s+(.+)$/m.exec(content)?.[1]?.trim();
  return { title: heading ?? titleFromFileName(fileName), body: content.trim() + '\n' };
}

function fromHtml(fileName: string, html: string): ImportedArticle {
  const title = decodeEntities(stripTags(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1] ?? '')).trim();
  return { title: title || titleFromFileName(fileName), body: htmlToMarkdown(html) };
}

function rowsToArticles(rows: unknown[]): ImportedArticle[] {
  return rows.map((row, i) => {
    const parsed = importedArticleSchema.safeParse(row);
    if (!parsed.success) throw new Error(`record ${i + 1}: ${describeZodError(parsed.error)}`);
    return parsed.data;
  });
}

/** Headings, paragraphs, list items and links survive as Markdown (headings are what the chunker splits on). */
export function htmlToMarkdown(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  const markdown = body
    .replace(/<(script|style|head|nav|footer)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_m, level: string, text: string) => `\n\n${'#'.repeat(Number(level))} ${stripTags(text).trim()}\n\n`)
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, text: string) => `[${stripTags(text).trim()}](${href})`)
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|ul|ol|table|tr|blockquote|section|article)>/gi, '\n\n');
  return decodeEntities(stripTags(markdown))
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim() + '\n';
}

function stripTags(html: string): string {
  return html.replace(/<[^>]+>/g, '');
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1].toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : whole;
    }
    return named[code.toLowerCase()] ?? whole;
  });
}

/** RFC 4180: a header row, quoted fields with "" escapes and line breaks inside quotes. */
export function csvRecords(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (quoted) throw new Error('a quoted CSV field is never closed');
  if (field || row.length) row.push(field), rows.push(row);
  const [header, ...data] = rows.filter((r) => r.some((cell) => cell.trim()));
  if (!header) return [];
  const names = header.map((h) => h.trim().toLowerCase());
  return data.map((cells) => Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ''])));
}

function splitTags(value: string): string[] {
  return value.split(/[;|]/).map((t) => t.trim()).filter(Boolean);
}

function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName, path.extname(fileName)).replace(/[-_]+/g, ' ').trim();
  return base ? base[0].toUpperCase() + base.slice(1) : 'Untitled';
}

export function slugOf(article: ImportedArticle): string {
  return article.slug ?? slugify(article.title);
}
