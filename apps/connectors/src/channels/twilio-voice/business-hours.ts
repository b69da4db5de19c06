/** The tenant's opening hours, as the admin console saves them: `{ mon: [['09:00', '17:30']], ... }`. */
export type BusinessHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', [string, string][]>>;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Whether the shop is open at `now` in its time zone. No hours set: always open. */
export function isOpen(hours: BusinessHours | null | undefined, timezone: string | undefined, now = new Date()): boolean {
  if (!hours || Object.keys(hours).length === 0) return true;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone || 'UTC', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  } catch {
    return true;
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.find((d) => get('weekday').toLowerCase().startsWith(d));
  const time = `${get('hour')}:${get('minute')}`;
  return !!day && (hours[day] ?? []).some(([open, close]) => time >= open && time < close);
}
