/**
 * How a conversation ended, in SQL, for every report that counts outcomes (analytics, experiments,
 * retraining): one definition, so an experiment's "confirmed" is analytics' "confirmed".
 *
 * - confirmed: the bot answered, no person took part, and the customer said it solved it ("This
 *   solved it": an inbound contact message with `channel_data.action = 'resolved'`), and it is still
 *   resolved. A staff member closing a bot-only conversation confirms nothing.
 * - assumed: the bot answered, no person took part, and the customer stayed silent for
 *   REOPEN_WINDOW_HOURS after its last answer.
 * - handed off: the bot handed off, a person replied, or it waits for one.
 * - reopened: a resolved conversation came back (`conversation_reopens`): the customer wrote in it
 *   again within REOPEN_WINDOW_HOURS of the resolution, or staff reopened it.
 */
export const REOPEN_WINDOW_HOURS = 72;

const of = (cond: string) => `EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND ${cond})`;
const at = (agg: string, cond: string) => `(SELECT ${agg}(m.created_at) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND ${cond})`;

/** Per-conversation columns for a query over `conversations c` (select them in a CTE, then filter with OUTCOME_FILTERS). */
export const OUTCOME_COLUMNS = `
  c.status,
  ${of(`m.author_kind = 'person' AND NOT m.private`)} AS person_replied,
  ${of(`m.author_kind = 'bot' AND m.trace->'handoff' IS NOT NULL`)} AS handed_off,
  ${of(`m.author_kind = 'bot'`)} AS bot_replied,
  ${of(`m.direction = 'in' AND m.author_kind = 'contact' AND m.channel_data->>'action' = 'resolved'`)} AS customer_confirmed,
  EXISTS (SELECT 1 FROM conversation_reopens r WHERE r.tenant_id = c.tenant_id AND r.conversation_id = c.id) AS reopened,
  EXISTS (SELECT 1 FROM conversation_reopens r WHERE r.tenant_id = c.tenant_id AND r.conversation_id = c.id AND r.by = 'customer') AS customer_reopened,
  ${at('min', `m.author_kind = 'bot' AND m.trace->'handoff' IS NOT NULL`)} AS handed_off_at,
  ${at('min', `m.direction = 'in'`)} AS first_in,
  ${at('min', `m.direction = 'out' AND NOT m.private AND m.author_kind IN ('bot', 'person')`)} AS first_out,
  ${at('max', `m.direction = 'in'`)} AS last_in,
  ${at('max', `m.author_kind = 'bot'`)} AS last_bot`;

/** Conditions on OUTCOME_COLUMNS' rows, for `count(*) FILTER (WHERE ...)`. */
export const OUTCOME_FILTERS = {
  confirmed: `status = 'resolved' AND customer_confirmed AND bot_replied AND NOT handed_off AND NOT person_replied`,
  assumed: `status = 'bot' AND bot_replied AND NOT handed_off AND NOT person_replied AND last_bot >= last_in AND last_bot < now() - interval '${REOPEN_WINDOW_HOURS} hours'`,
  handedOff: `handed_off OR person_replied OR status IN ('waiting', 'assigned')`,
  reopened: `reopened`,
  customerReopened: `customer_reopened`,
} as const;
