import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChannelAccount, KnowledgeArticle, Tenant } from '@cs/persistence';

/** The seeded demo tenant (`npm start` creates it): its slug is fixed, everything else is read live. */
export const DEMO_TENANT_SLUG = 'demo';

export interface DemoSite {
  tenantId: string;
  name: string;
  widgetKey: string | null;
}

/** Reads the demo tenant at request time, so a re-seed or a rotated widget key shows at once. */
@Injectable()
export class DemoSiteService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async site(): Promise<DemoSite | null> {
    const tenant = await this.dataSource.getRepository(Tenant).findOne({ where: { slug: DEMO_TENANT_SLUG } });
    if (!tenant) return null;
    const widget = await this.dataSource.getRepository(ChannelAccount).findOne({
      where: { tenantId: tenant.id, connectorId: 'webchat', status: 'active' },
      order: { createdAt: 'ASC' },
    });
    return { tenantId: tenant.id, name: tenant.name, widgetKey: widget?.publicKey ?? null };
  }

  async article(slug: string): Promise<KnowledgeArticle | null> {
    const site = await this.site();
    if (!site) return null;
    return this.dataSource
      .getRepository(KnowledgeArticle)
      .findOne({ where: { tenantId: site.tenantId, slug, published: true } });
  }

  async articles(): Promise<Pick<KnowledgeArticle, 'slug' | 'title'>[]> {
    const site = await this.site();
    if (!site) return [];
    return this.dataSource.getRepository(KnowledgeArticle).find({
      where: { tenantId: site.tenantId, published: true },
      select: { slug: true, title: true },
      order: { title: 'ASC' },
    });
  }
}
