import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChannelAccount } from '@cs/persistence';

export interface WidgetAccount {
  tenantId: string;
  channelAccountId: string;
  allowedOrigins: string[];
}

const CACHE_TTL_MS = 10_000;

/** Widget key → the tenant's web-chat account. Hits are cached briefly (every socket asks). */
@Injectable()
export class WebchatAccountsService {
  private readonly cache = new Map<string, { account: WidgetAccount; until: number }>();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async byWidgetKey(widgetKey: string): Promise<WidgetAccount | null> {
    const cached = this.cache.get(widgetKey);
    if (cached && cached.until > Date.now()) return cached.account;
    const row = await this.dataSource
      .getRepository(ChannelAccount)
      .findOne({ where: { connectorId: 'webchat', publicKey: widgetKey, status: 'active' } });
    if (!row) {
      this.cache.delete(widgetKey);
      return null;
    }
    const origins = (row.settings as { allowedOrigins?: unknown }).allowedOrigins;
    const account: WidgetAccount = {
      tenantId: row.tenantId,
      channelAccountId: row.id,
      allowedOrigins: Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [],
    };
    this.cache.set(widgetKey, { account, until: Date.now() + CACHE_TTL_MS });
    return account;
  }
}

/** Empty list: any site may embed the widget. A request without Origin (not a browser) passes too. */
export function originAllowed(allowedOrigins: string[], origin: string | undefined): boolean {
  if (allowedOrigins.length === 0 || !origin) return true;
  const normalized = origin.replace(/\/+$/, '').toLowerCase();
  return allowedOrigins.some((o) => o.replace(/\/+$/, '').toLowerCase() === normalized);
}
