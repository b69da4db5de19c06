import { z } from 'zod';
import { pageQuerySchema } from '../../common/cursor';

const articleFields = {
  title: z.string().trim().min(1).max(200),
  /** Markdown; headings split it into the chunks the agent retrieves. */
  body: z.string().min(1).max(200_000),
  slug: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes').max(120),
  url: z.url().max(2000).nullable(),
  language: z.string().min(2).max(10),
  tags: z.array(z.string().trim().min(1).max(50)).max(30),
  published: z.boolean(),
};

export const createArticleSchema = z.object({
  ...articleFields,
  slug: articleFields.slug.optional(),
  url: articleFields.url.optional(),
  language: articleFields.language.default('en'),
  tags: articleFields.tags.default([]),
  published: articleFields.published.default(true),
});
export type CreateArticleBody = z.infer<typeof createArticleSchema>;

export const updateArticleSchema = z.object(articleFields).partial();
export type UpdateArticleBody = z.infer<typeof updateArticleSchema>;

export const listArticlesSchema = pageQuerySchema.extend({
  /** Words in the title. */
  q: z.string().trim().min(1).max(200).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  published: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type ListArticlesQuery = z.infer<typeof listArticlesSchema>;

export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'article';
}
