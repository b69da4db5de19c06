import { createHash } from 'crypto';

export interface MarkdownChunk {
  ordinal: number;
  /** The heading path of the section, e.g. `Delivery times › Busy periods`; kept with every chunk. */
  heading: string;
  content: string;
  contentHash: string;
}

export interface ChunkOptions {
  /** Chunks below this size are merged with the next paragraph of the same section. */
  minChars?: number;
  /** Chunks never grow past this size; a longer paragraph is split at sentence boundaries. */
  maxChars?: number;
}

interface Section {
  headings: string[];
  paragraphs: string[];
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

export function chunkHash(heading: string, content: string): string {
  return createHash('sha256').update(`${heading}\n${content}`).digest('hex');
}

/**
 * Split a markdown article into retrieval passages: one section per heading, paragraphs packed
 * together up to `maxChars`. Each chunk carries its heading path, so a passage read alone (in
 * search results, or quoted in an answer) still says what it is about.
 */
export function chunkMarkdown(markdown: string, opts: ChunkOptions = {}): MarkdownChunk[] {
  const minChars = opts.minChars ?? 100;
  const maxChars = opts.maxChars ?? 800;
  const chunks: MarkdownChunk[] = [];
  for (const section of splitSections(markdown)) {
    const heading = section.headings.join(' › ');
    const pieces = section.paragraphs.flatMap((p) => (p.length > maxChars ? splitLong(p, maxChars) : [p]));
    const packed: string[] = [];
    let current = '';
    for (const piece of pieces) {
      if (current && current.length + piece.length + 2 > maxChars) {
        packed.push(current);
        current = '';
      }
      current = current ? `${current}\n\n${piece}` : piece;
    }
    // A short tail reads better inside the previous passage than alone.
    const last = packed[packed.length - 1];
    if (current && last !== undefined && current.length < minChars && last.length + current.length + 2 <= maxChars) {
      packed[packed.length - 1] = `${last}\n\n${current}`;
    } else if (current) {
      packed.push(current);
    }
    for (const content of packed) chunks.push(makeChunk(chunks.length, heading, content));
  }
  return chunks;
}

function makeChunk(ordinal: number, heading: string, content: string): MarkdownChunk {
  return { ordinal, heading, content, contentHash: chunkHash(heading, content) };
}

function splitSections(markdown: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let current: Section = { headings: [], paragraphs: [] };
  let paragraph: string[] = [];
  let inFence = false;

  const flushParagraph = () => {
    const text = paragraph.join('\n').trim();
    if (text) current.paragraphs.push(text);
    paragraph = [];
  };

  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim().startsWith('```')) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (match) {
      flushParagraph();
      if (current.paragraphs.length) sections.push(current);
      const level = match[1].length;
      path.length = Math.min(path.length, level - 1);
      while (path.length < level - 1) path.push('');
      path[level - 1] = match[2].trim();
      current = { headings: path.filter(Boolean), paragraphs: [] };
    } else if (!inFence && line.trim() === '') {
      flushParagraph();
    } else {
      paragraph.push(line);
    }
  }
  flushParagraph();
  if (current.paragraphs.length) sections.push(current);
  return sections;
}

/** A paragraph longer than a chunk: cut between sentences (or list lines), never inside a word. */
function splitLong(paragraph: string, maxChars: number): string[] {
  const sentences = paragraph.split(/(?<=[.!?])\s+|\n/).filter((s) => s.trim());
  const out: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && current.length + sentence.length + 1 > maxChars) {
      out.push(current);
      current = '';
    }
    if (sentence.length > maxChars) {
      for (let i = 0; i < sentence.length; i += maxChars) out.push(sentence.slice(i, i + maxChars).trim());
      continue;
    }
    current = current ? `${current} ${sentence}` : sentence;
  }
  if (current) out.push(current);
  return out;
}
