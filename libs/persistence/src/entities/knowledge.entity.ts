import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('knowledge_articles')
@Index(['tenantId', 'slug'], { unique: true })
export class KnowledgeArticle {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') slug: string;
  @Column('text') title: string;
  /** Markdown. */
  @Column('text') body: string;
  @Column('text', { nullable: true }) url: string | null;
  @Column('text', { default: 'en' }) language: string;
  @Column('text', { array: true, default: '{}' }) tags: string[];
  @Column('integer', { default: 1 }) version: number;
  @Column('boolean', { default: true }) published: boolean;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}

/** A heading-and-paragraph slice of an article. `tsv` is a stored generated column (see the migration). */
@Entity('knowledge_chunks')
@Index(['tenantId', 'articleId', 'ordinal'], { unique: true })
export class KnowledgeChunk {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'article_id' }) articleId: string;
  @Column('integer') ordinal: number;
  @Column('text', { default: '' }) heading: string;
  @Column('text') content: string;
  @Column('text', { default: 'en' }) language: string;
  @Column('text', { name: 'content_hash' }) contentHash: string;
  @Column('real', { array: true, nullable: true }) embedding: number[] | null;
  @Column('text', { name: 'embedding_model', nullable: true }) embeddingModel: string | null;
  @Column({ type: 'tsvector', select: false, insert: false, update: false, nullable: true }) tsv: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/** An article as it was before an edit (issue 17): the article row holds the current version, this table the earlier ones. */
@Entity('knowledge_article_versions')
@Index(['tenantId', 'articleId', 'version'], { unique: true })
export class KnowledgeArticleVersion {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'article_id' }) articleId: string;
  @Column('integer') version: number;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('text', { nullable: true }) url: string | null;
  @Column('text') language: string;
  @Column('text', { array: true, default: '{}' }) tags: string[];
  @Column('boolean') published: boolean;
  /** When this version was saved (the article's updated_at then). */
  @Column('timestamptz', { name: 'saved_at' }) savedAt: Date;
  /** When it was replaced by the next version. */
  @CreateDateColumn({ type: 'timestamptz', name: 'replaced_at' }) replacedAt: Date;
}
