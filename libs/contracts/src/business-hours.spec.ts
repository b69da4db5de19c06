import { describeOpening, isOpen, nextOpening } from './business-hours';

const weekdays9to5 = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } as const;
const hours = weekdays9to5 as unknown as Parameters<typeof isOpen>[0];

describe("the shop's opening hours", () => {
  it('is open on a weekday afternoon and closed at night and on Sunday, in the shop’s time zone', () => {
    // Wednesday 25 November 2026.
    expect(isOpen(hours, 'Europe/London', new Date('2026-11-25T14:00:00Z'))).toBe(true);
    expect(isOpen(hours, 'Europe/London', new Date('2026-11-25T17:00:00Z'))).toBe(false);
    expect(isOpen(hours, 'Europe/London', new Date('2026-11-29T12:00:00Z'))).toBe(false);
    // 14:00 UTC is 09:00 in New York (EST): just opened; 13:59 UTC is not yet.
    expect(isOpen(hours, 'America/New_York', new Date('2026-11-25T14:00:00Z'))).toBe(true);
    expect(isOpen(hours, 'America/New_York', new Date('2026-11-25T13:59:00Z'))).toBe(false);
  });

  it('is always open when the tenant set no hours', () => {
    expect(isOpen(undefined, 'Europe/London', new Date('2026-11-29T03:00:00Z'))).toBe(true);
    expect(isOpen({}, undefined)).toBe(true);
  });
});

describe('when the shop next opens', () => {
  it('is the next opening in the shop’s time zone: later the same day, the next weekday, or after the weekend', () => {
    // Wednesday 25 November 2026, 07:30 in London: opens at 09:00 the same day.
    expect(nextOpening(hours, 'Europe/London', new Date('2026-11-25T07:30:00Z'))?.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    // Friday 27 November after closing: Monday 30 November at 09:00 (New York, EST = UTC-5).
    expect(nextOpening(hours, 'America/New_York', new Date('2026-11-27T23:00:00Z'))?.toISOString()).toBe('2026-11-30T14:00:00.000Z');
    // Open now: now.
    const now = new Date('2026-11-25T10:00:00Z');
    expect(nextOpening(hours, 'Europe/London', now)).toEqual(now);
  });

  it('follows a daylight-saving change: the Monday after Europe/Berlin leaves summer time opens at 08:00 UTC', () => {
    expect(nextOpening(hours, 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'))?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('is none when no hours are set or no day has any', () => {
    expect(nextOpening(undefined, 'Europe/London')).toBeNull();
    expect(nextOpening({ mon: [] }, 'Europe/London')).toBeNull();
  });

  it('reads as a weekday and a time with its zone in the customer’s language', () => {
    const opening = new Date('2026-11-30T14:00:00Z');
    expect(describeOpening(opening, 'America/New_York', 'en')).toEqual({ day: 'Monday', time: '09:00 EST' });
    expect(describeOpening(opening, 'Europe/Berlin', 'de')).toEqual({ day: 'Montag', time: '15:00 MEZ' });
  });
});
