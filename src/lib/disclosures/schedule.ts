import { addDays, vietnamDate, type IsoDate } from '$lib/deadlines/working-days';

/**
 * When scheduled disclosures are due, and how a unit stands against them. Pure.
 *
 * A yearly item's period is 'YYYY', a quarterly one's 'YYYY-Qn'. Such an item is due a number
 * of days after its period starts (an estimate, a plan) or ends (an execution report, final
 * accounts). An item of a one-off type ("once") has no due date: without a publication it is
 * missing. Items published on change are not scheduled at all.
 */
export type Schedule = {
	frequency: 'once' | 'yearly' | 'quarterly' | 'on_change';
	dueFrom: 'start' | 'end' | null;
	dueDays: number | null;
};

export type ComplianceState = 'published' | 'overdue' | 'due_soon' | 'upcoming' | 'missing';

/** How close a due date must be to count as "due soon". */
export const DUE_SOON_DAYS = 30;

export function periodBounds(period: string): { start: IsoDate; end: IsoDate } {
	const [, year, quarter] = /^(\d{4})(?:-Q([1-4]))?$/.exec(period) ?? [];
	if (!year) throw new RangeError(`not a period: ${period}`);
	if (!quarter) return { start: `${year}-01-01`, end: `${year}-12-31` };
	const q = Number(quarter);
	const start = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
	const nextStart =
		q === 4 ? `${Number(year) + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
	return { start, end: addDays(nextStart, -1) };
}

export function dueOn(s: Schedule, period: string): IsoDate | null {
	if (!s.dueFrom || s.dueDays === null) return null;
	const { start, end } = periodBounds(period);
	return s.dueFrom === 'start' ? addDays(start, s.dueDays) : addDays(end, s.dueDays);
}

export function periodsOfYear(frequency: Schedule['frequency'], year: number): string[] {
	if (frequency === 'yearly') return [String(year)];
	if (frequency === 'quarterly') return [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
	return [];
}

/** The periods whose items fall due within the last year or the next DUE_SOON_DAYS days. */
export function watchedPeriods(s: Schedule, now: Date): string[] {
	const today = vietnamDate(now);
	const from = addDays(today, -365);
	const to = addDays(today, DUE_SOON_DAYS);
	const year = Number(today.slice(0, 4));
	return [year - 2, year - 1, year, year + 1]
		.flatMap((y) => periodsOfYear(s.frequency, y))
		.filter((p) => {
			const due = dueOn(s, p);
			return due !== null && due >= from && due <= to;
		});
}

export function complianceState(
	due: IsoDate | null,
	published: boolean,
	now: Date
): ComplianceState {
	if (published) return 'published';
	if (due === null) return 'missing';
	const today = vietnamDate(now);
	if (today > due) return 'overdue';
	return due <= addDays(today, DUE_SOON_DAYS) ? 'due_soon' : 'upcoming';
}

/**
 * How many calendar days after its due date an item was first published (0 when on time);
 * null when it has no due date or no publication date.
 */
export function daysLate(due: IsoDate | null, publishedAt: Date | null): number | null {
	if (due === null || publishedAt === null) return null;
	const published = vietnamDate(publishedAt);
	if (published <= due) return 0;
	return Math.round((Date.parse(published) - Date.parse(due)) / 86_400_000);
}

export function isPeriodFor(frequency: Schedule['frequency'], period: string | null): boolean {
	if (frequency === 'yearly') return period !== null && /^\d{4}$/.test(period);
	if (frequency === 'quarterly') return period !== null && /^\d{4}-Q[1-4]$/.test(period);
	return period === null;
}
