import { z } from 'zod';
import { CHANNELS } from '@cs/contracts';
import { csvOf } from '../../common/csv-query';

// Apart from analytics.dto.ts, whose report types the console imports without the server's packages.
export const analyticsQuerySchema = z.object({
  /** Start of the period (ISO 8601); default 30 days ago. */
  from: z.coerce.date().optional(),
  /** End of the period, exclusive; default now. */
  to: z.coerce.date().optional(),
  /** Only these channels (`webchat,email`); default every channel. */
  channel: csvOf(CHANNELS).optional(),
});
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;
