/**
 * Working-day arithmetic for legal deadlines (questions, information requests, disclosures, plan
 * tasks). Pure: the calendar comes in as data.
 *
 * Saturdays and Sundays are days off and every other day is a working day, unless the calendar
 * says otherwise for that date: a public holiday, a Tết day or a compensatory day off is a
 * weekday marked off; a Saturday worked in exchange ("làm bù") is a weekend day marked working.
 * Dates are calendar dates in Việt Nam (UTC+7, no daylight saving), written YYYY-MM-DD.
 *
 * A deadline of n working days from a start date ends on the n-th working day after it (the day
 * a case arrives is not counted). A clock can be paused, for example while waiting for the
 * citizen: the working days used before the pause count, and the rest are counted again from the
 * day it resumes.
 */
export type IsoDate = string;
export type CalendarDay = { day: IsoDate; working: boolean };
export type Pause = { from: IsoDate; to: IsoDate | null };

const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

const toTime = (day: IsoDate) => Date.parse(`${day}T00:00:00Z`);
const fromTime = (t: number): IsoDate => new Date(t).toISOString().slice(0, 10);

export function isIsoDate(value: string): boolean {
	return /^\d{4}-\d{2}-\d{2}$/.test(value) && fromTime(toTime(value)) === value;
}

export const addDays = (day: IsoDate, n: number): IsoDate => fromTime(toTime(day) + n * DAY_MS);

/** The date in Việt Nam at an instant. */
export const vietnamDate = (at: Date): IsoDate => fromTime(at.getTime() + VIETNAM_OFFSET_MS);

export type Calendar = { isWorking: (day: IsoDate) => boolean };

export function calendarOf(days: readonly CalendarDay[]): Calendar {
	const marked = new Map(days.map((d) => [d.day, d.working]));
	return {
		isWorking: (day) => {
			const own = marked.get(day);
			if (own !== undefined) return own;
			const weekday = new Date(toTime(day)).getUTCDay();
			return weekday !== 0 && weekday !== 6;
		}
	};
}

/** The n-th working day after `start` (n ≥ 1). */
export function addWorkingDays(start: IsoDate, n: number, calendar: Calendar): IsoDate {
	if (!Number.isInteger(n) || n < 1)
		throw new RangeError('n must be a whole number of days, at least 1');
	let day = start;
	for (let counted = 0; counted < n;) {
		day = addDays(day, 1);
		if (calendar.isWorking(day)) counted++;
	}
	return day;
}

/** Working days d with from < d ≤ to (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: Calendar): number {
	let count = 0;
	for (let day = addDays(from, 1); day <= to; day = addDays(day, 1))
		if (calendar.isWorking(day)) count++;
	return count;
}

/**
 * When a clock of `workingDays` started on `started` runs out, given its pauses (in order, not
 * overlapping); null while it is paused. A deadline passed before a pause stays where it was.
 */
export function dueDate(
	workingDays: number,
	started: IsoDate,
	pauses: readonly Pause[],
	calendar: Calendar
): IsoDate | null {
	let from = started;
	let remaining = workingDays;
	for (const pause of pauses) {
		const used = workingDaysBetween(from, pause.from, calendar);
		if (used >= remaining) return addWorkingDays(from, remaining, calendar);
		remaining -= used;
		if (pause.to === null) return null;
		from = pause.to;
	}
	return addWorkingDays(from, remaining, calendar);
}

/** Whether a case due on `due` is late at the instant `now` (late from the day after). */
export const isOverdue = (due: IsoDate, now: Date): boolean => vietnamDate(now) > due;
