import { describe, expect, it } from 'vitest';
import { alertRecipients, localTime, nextHandover, onDuty, shiftCovers, shiftProblem, type Shift } from './duty-roster.ts';

// Local (UTC+8) time as an instant: 2026-06-01 is a Monday.
const local = (day: number, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(Date.UTC(2026, 5, day, h! - 8, m!));
};
const WEEKDAYS = [1, 2, 3, 4, 5];
const seat = 'town:321171001';
const shifts: Shift[] = [
  { seatKey: seat, username: 'day.a', weekdays: WEEKDAYS, start: '08:00', end: '20:00' },
  { seatKey: seat, username: 'night.b', weekdays: WEEKDAYS, start: '20:00', end: '08:00' },
  { seatKey: seat, username: 'weekend.c', weekdays: [6, 7], start: '08:00', end: '08:00' },
  { seatKey: 'district', username: 'district.d', weekdays: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '00:00' },
];

describe('localTime', () => {
  it('reads weekday and minute in China Standard Time', () => {
    expect(localTime(local(1, '08:30'))).toEqual({ weekday: 1, minute: 8 * 60 + 30 });
    expect(localTime(new Date('2026-06-07T16:30:00Z'))).toEqual({ weekday: 1, minute: 30 }); // Monday 00:30 local
    expect(localTime(local(7, '23:59'))).toEqual({ weekday: 7, minute: 23 * 60 + 59 });
  });
});

describe('onDuty', () => {
  it('finds the day officer on a weekday afternoon', () => {
    expect(onDuty(shifts, seat, local(2, '14:00'))).toEqual(['day.a']);
  });
  it('hands over at 20:00: the start minute is in, the end minute is out', () => {
    expect(onDuty(shifts, seat, local(2, '19:59'))).toEqual(['day.a']);
    expect(onDuty(shifts, seat, local(2, '20:00'))).toEqual(['night.b']);
  });
  it('keeps the night officer past midnight into the next day', () => {
    expect(onDuty(shifts, seat, local(3, '03:00'))).toEqual(['night.b']); // Tuesday's night shift, Wednesday 03:00
    expect(onDuty(shifts, seat, local(3, '07:59'))).toEqual(['night.b']);
    expect(onDuty(shifts, seat, local(3, '08:00'))).toEqual(['day.a']);
  });
  it('runs Friday\'s night shift into Saturday morning, then the weekend 24-hour shift', () => {
    expect(onDuty(shifts, seat, local(6, '02:00'))).toEqual(['night.b']); // June 6 is a Saturday
    expect(onDuty(shifts, seat, local(6, '08:00'))).toEqual(['weekend.c']);
    expect(onDuty(shifts, seat, local(7, '23:00'))).toEqual(['weekend.c']);
    expect(onDuty(shifts, seat, local(8, '07:59'))).toEqual(['weekend.c']); // Sunday's shift into Monday
    expect(onDuty(shifts, seat, local(8, '08:00'))).toEqual(['day.a']);
  });
  it('leaves Monday 00:00-08:00 to the weekend shift, not to a night shift nobody started on Sunday', () => {
    expect(onDuty(shifts, seat, local(8, '03:00'))).toEqual(['weekend.c']);
  });
  it('keeps seats apart and lists each officer once', () => {
    expect(onDuty(shifts, 'district', local(3, '03:00'))).toEqual(['district.d']);
    const doubled = [...shifts, { ...shifts[0]!, weekdays: [2] }];
    expect(onDuty(doubled, seat, local(2, '10:00'))).toEqual(['day.a']);
    expect(onDuty(shifts, 'community:321171001001', local(2, '10:00'))).toEqual([]);
  });
  it('answers the same for an instant whatever other time zone the machine is in (fixed UTC+8)', () => {
    expect(shiftCovers(shifts[1]!, new Date('2026-06-02T12:00:00Z'))).toBe(true); // Tuesday 20:00 local
  });
});

describe('alertRecipients', () => {
  it('sends to the officers on duty', () => {
    expect(alertRecipients(shifts, seat, local(2, '10:00'), ['day.a', 'night.b', 'weekend.c'])).toEqual({ usernames: ['day.a'], covered: true });
  });
  it('falls back to every officer of the seat when nobody is rostered', () => {
    expect(alertRecipients([], seat, local(2, '10:00'), ['b', 'a', 'a'])).toEqual({ usernames: ['a', 'b'], covered: false });
  });
});

describe('nextHandover', () => {
  it('is the next minute the officers change', () => {
    expect(nextHandover(shifts, seat, local(2, '14:00'))).toEqual(local(2, '20:00'));
    expect(nextHandover(shifts, seat, local(5, '21:00'))).toEqual(local(6, '08:00'));
    expect(nextHandover(shifts, 'district', local(2, '14:00'))).toBeNull(); // always the same officer
    expect(nextHandover(shifts, 'nowhere', local(2, '14:00'))).toBeNull();
  });
});

describe('shiftProblem', () => {
  it('accepts a sane shift and names what is wrong with others', () => {
    expect(shiftProblem({ weekdays: [1], start: '08:00', end: '20:00' })).toBeNull();
    expect(shiftProblem({ weekdays: [1], start: '8:00', end: '20:00' })).toMatch(/start/);
    expect(shiftProblem({ weekdays: [1], start: '08:00', end: '24:00' })).toMatch(/end/);
    expect(shiftProblem({ weekdays: [], start: '08:00', end: '20:00' })).toMatch(/weekday/);
    expect(shiftProblem({ weekdays: [0], start: '08:00', end: '20:00' })).toMatch(/1 \(Monday\)/);
    expect(shiftProblem({ weekdays: [1, 1], start: '08:00', end: '20:00' })).toMatch(/twice/);
  });
});
