import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
const interval = z
  .tuple([hhmm, hhmm])
  .refine(([open, close]) => open < close, 'opens before it closes (split intervals that cross midnight)');

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/London');

/** Every field may be null to clear it (the product default applies again). Unknown keys are ignored. */
export const patchSettingsSchema = z
  .object({
    /** Retrieval confidence (0..1) below which the agent hands off instead of answering. */
    confidenceThreshold: z.number().min(0).max(1).nullable(),
    /** What the customer reads when the conversation goes to a person. */
    handoffMessage: z.string().trim().min(1).max(1000).nullable(),
    /** Shown with the hand-off message, e.g. "within 2 hours". */
    expectedResponseTime: z.string().trim().min(1).max(200).nullable(),
    /** A few sentences on tone and style for generated answers. */
    brandVoice: z.string().trim().min(1).max(2000).nullable(),
    timezone: timezone.nullable(),
    /** Opening hours per weekday in the tenant's time zone; a missing day is closed. */
    businessHours: z.partialRecord(z.enum(WEEKDAYS), z.array(interval).max(4)).nullable(),
    /** `extractive`: never a language model; `openai-compatible` (or unset): the tenant's endpoint below, else the server's default. */
    llmProvider: z.enum(['extractive', 'openai-compatible']).nullable(),
    /** The model name on the tenant's endpoint (or the default one); the server's LLM_MODEL when unset. */
    llmModel: z.string().trim().min(1).max(200).nullable(),
    /** The tenant's own OpenAI-compatible endpoint (`https://.../v1`); the server's LLM_BASE_URL when unset. */
    llmBaseUrl: z.url({ protocol: /^https?$/ }).max(500).nullable(),
    /** The key for `llmBaseUrl`: stored encrypted, never returned (the view says `llmApiKeySet`). */
    llmApiKey: z.string().trim().min(1).max(500).nullable(),
    /** Per action the agent can carry out (apps/agent pipeline/act): do it alone, only after a person approves, or never. */
    actionPermissions: z.partialRecord(z.enum(['order_status', 'cancel_order', 'return_order', 'exchange_order', 'modify_items', 'change_address']), z.enum(['alone', 'approval', 'never'])).nullable(),
    /** `false`: no satisfaction question after a resolved conversation on email, SMS, WhatsApp and Slack (asked by default). */
    csatSurvey: z.boolean().nullable(),
    /**
     * How a customer proves an order is theirs where the channel does not (web chat, API, Slack):
     * `details` (the default: order number and its email or zip), or `code` (those, then a one-time
     * code sent to the order's email, or its phone by SMS, typed back into the conversation).
     */
    actionIdentity: z.enum(['details', 'code']).nullable(),
    /** A resolved conversation with no message for this many hours is closed (1 hour to 90 days). */
    autoCloseAfterHours: z.number().int().min(1).max(24 * 90).nullable(),
    /** Minutes a customer may wait for a person after a hand-off before the SLA is breached (1 to 10080). */
    slaMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable(),
  })
  .partial();
export type PatchSettingsBody = z.infer<typeof patchSettingsSchema>;
