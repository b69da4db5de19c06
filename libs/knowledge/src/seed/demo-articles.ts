import * as fs from 'fs';
import * as path from 'path';
import { parseArticleFile, type ParsedArticle } from '../front-matter';

/** The demo knowledge base: markdown files beside this module (copied to dist/ by the build). */
export const DEMO_ARTICLES_DIR = path.join(__dirname, 'articles');

export function loadArticles(dir: string = DEMO_ARTICLES_DIR): ParsedArticle[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      try {
        return parseArticleFile(fs.readFileSync(path.join(dir, name), 'utf8'));
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      }
    });
}
