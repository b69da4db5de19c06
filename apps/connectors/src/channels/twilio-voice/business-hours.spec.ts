import { isOpen } from './business-hours';

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
