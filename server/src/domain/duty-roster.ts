// The duty roster (值班表) of each seat: weekly shifts in local time. Who is on
// duty now decides who receives escalations and overdue alerts at a tier.
// A shift whose end is not after its start runs past midnight into the next
// day (20:00-08:00), and start = end is a 24-hour shift; the start minute is
// inside the shift and the end minute is not, so at a handover the outgoing
// officer is off and the incoming one is on: exactly one shift answers.
// Zhenjiang keeps China Standard Time (UTC+8, no daylight saving), so a fixed
// offset is enough and the answer does not depend on the machine's zone.

export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;

export interface Shift {
  seatKey: string;
  username: string;
  /** ISO weekdays the shift starts on: 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** "HH:MM", local time. */
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function minutesOf(hhmm: string): number {
  const match = HHMM.exec(hhmm);
  if (!match) throw new Error(`"${hhmm}" is not a time HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Why a shift is unusable, or null if it is fine. */
export function shiftProblem(shift: Pick<Shift, 'weekdays' | 'start' | 'end'>): string | null {
  if (!HHMM.test(shift.start)) return `start "${shift.start}" is not a time HH:MM`;
  if (!HHMM.test(shift.end)) return `end "${shift.end}" is not a time HH:MM`;
  if (shift.weekdays.length === 0) return 'a shift needs at least one weekday';
  if (shift.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'weekdays are 1 (Monday) to 7 (Sunday)';
  if (new Set(shift.weekdays).size !== shift.weekdays.length) return 'a weekday is named twice';
  return null;
}

/** The local weekday (1-7) and minute of the day of an instant. */
export function localTime(now: Date, offsetMinutes = CHINA_UTC_OFFSET_MINUTES): { weekday: number; minute: number } {
  const local = new Date(now.getTime() + offsetMinutes * 60_000);
  const day = local.getUTCDay(); // 0 = Sunday
  return { weekday: day === 0 ? 7 : day, minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

const previousWeekday = (weekday: number) => (weekday === 1 ? 7 : weekday - 1);

/** Is this shift on at `now`? */
export function shiftCovers(shift: Shift, now: Date, offsetMinutes = CHINA_UTC_OFFSET_MINUTES): boolean {
  const { weekday, minute } = localTime(now, offsetMinutes);
  const start = minutesOf(shift.start);
  const end = minutesOf(shift.end);
  if (end > start) return shift.weekdays.includes(weekday) && minute >= start && minute < end;
  // Runs past midnight: the evening of a listed day, or the early hours after one.
  return (shift.weekdays.includes(weekday) && minute >= start) || (shift.weekdays.includes(previousWeekday(weekday)) && minute < end);
}

/** Usernames on duty at a seat now, sorted, each once. */
export function onDuty(shifts: Shift[], seatKey: string, now: Date, offsetMinutes = CHINA_UTC_OFFSET_MINUTES): string[] {
  const names = shifts.filter((s) => s.seatKey === seatKey && shiftCovers(s, now, offsetMinutes)).map((s) => s.username);
  return [...new Set(names)].sort();
}

/**
 * Who an escalation or overdue alert for a seat goes to: the officers on duty
 * there, or, when the roster leaves the seat uncovered, every officer of the
 * seat, so an alert never goes to nobody (and `covered` says so).
 */
export function alertRecipients(
  shifts: Shift[],
  seatKey: string,
  now: Date,
  seatOfficers: string[],
  offsetMinutes = CHINA_UTC_OFFSET_MINUTES,
): { usernames: string[]; covered: boolean } {
  const usernames = onDuty(shifts, seatKey, now, offsetMinutes);
  if (usernames.length > 0) return { usernames, covered: true };
  return { usernames: [...new Set(seatOfficers)].sort(), covered: false };
}

/** The next instant (within a week) at which the seat's set of officers on duty changes: the next handover. */
export function nextHandover(shifts: Shift[], seatKey: string, now: Date, offsetMinutes = CHINA_UTC_OFFSET_MINUTES): Date | null {
  const mine = shifts.filter((s) => s.seatKey === seatKey);
  if (mine.length === 0) return null;
  const current = onDuty(mine, seatKey, now, offsetMinutes).join(',');
  // Shifts change on whole minutes: step minute by minute from the next one.
  const first = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
  for (let t = first; t <= first + 7 * 24 * 60 * 60_000; t += 60_000) {
    if (onDuty(mine, seatKey, new Date(t), offsetMinutes).join(',') !== current) return new Date(t);
  }
  return null;
}
