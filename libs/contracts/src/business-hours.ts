/**
 * The tenant's opening hours, as the admin console saves them: `{ mon: [['09:00', '17:30']], ... }`,
 * in the tenant's time zone. Read by every channel: voice sends callers to voicemail when closed,
 * the agent's hand-off says when a person will answer.
 */
export type BusinessHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', [string, string][]>>;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MINUTE = 60_000;

interface LocalTime {
  day: (typeof DAYS)[number];
  /** Minutes since local midnight. */
  minutes: number;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function hasHours(hours: BusinessHours | null | undefined): hours is BusinessHours {
  return !!hours && Object.keys(hours).length > 0;
}

/** The weekday and time of day at `at` in `timezone`; null for a time zone Intl does not know. */
function localTime(at: number, timezone: string | undefined): LocalTime | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone || 'UTC', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  } catch {
    return null;
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.find((d) => get('weekday').toLowerCase().startsWith(d));
  return day ? { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) } : null;
}

function openAt(hours: BusinessHours, local: LocalTime): boolean {
  return (hours[local.day] ?? []).some(([open, close]) => local.minutes >= toMinutes(open) && local.minutes < toMinutes(close));
}

/** Whether the shop is open at `now` in its time zone. No hours set (or an unknown zone): always open. */
export function isOpen(hours: BusinessHours | null | undefined, timezone: string | undefined, now = new Date()): boolean {
  if (!hasHours(hours)) return true;
  const local = localTime(now.getTime(), timezone);
  return !local || openAt(hours, local);
}

/**
 * When the shop next opens after `now` (`now` itself when open); null when it never opens (no day
 * has hours) or no hours are set. Walks from opening to opening in local time, so daylight-saving
 * changes land on the right instant.
 */
export function nextOpening(hours: BusinessHours | null | undefined, timezone: string | undefined, now = new Date()): Date | null {
  if (!hasHours(hours) || !Object.values(hours).some((intervals) => intervals && intervals.length > 0)) return null;
  let at = now.getTime();
  for (let step = 0; step < 40; step++) {
    const local = localTime(at, timezone);
    if (!local) return null;
    if (openAt(hours, local)) return new Date(at);
    const later = (hours[local.day] ?? []).map(([open]) => toMinutes(open)).filter((open) => open > local.minutes);
    const wait = later.length ? Math.min(...later) - local.minutes : 24 * 60 - local.minutes;
    at = at - (at % MINUTE) + wait * MINUTE;
  }
  return null;
}

/** `opening` as a customer reads it in `language`: the weekday, and the time with its zone ("Monday", "09:00 GMT"). */
export function describeOpening(opening: Date, timezone: string | undefined, language: string): { day: string; time: string } {
  const zone = timezone || 'UTC';
  const day = new Intl.DateTimeFormat(language, { timeZone: zone, weekday: 'long' }).format(opening);
  const time = new Intl.DateTimeFormat(language, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(opening);
  return { day, time };
}
