import {
	addDays,
	addWorkingDays,
	vietnamDate,
	type Calendar,
	type IsoDate
} from '$lib/deadlines/working-days';

/**
 * Reporting periods of a plan and when each report is due. Pure. A quarterly plan reports for
 * 'YYYY-Qn', a half-yearly one for 'YYYY-H1'/'YYYY-H2', a yearly one for 'YYYY'; each report is
 * due a number of working days after its period ends.
 */
export type ReportFrequency = 'quarterly' | 'half_yearly' | 'yearly';

export function periodEnd(period: string): IsoDate {
	const m = /^(\d{4})(?:-(Q|H)([1-4]))?$/.exec(period);
	if (!m) throw new RangeError(`not a reporting period: ${period}`);
	const year = Number(m[1]);
	const months = m[2] === 'Q' ? Number(m[3]) * 3 : m[2] === 'H' ? Number(m[3]) * 6 : 12;
	const next =
		months === 12 ? `${year + 1}-01-01` : `${year}-${String(months + 1).padStart(2, '0')}-01`;
	return addDays(next, -1);
}

export function periodsOf(frequency: ReportFrequency, yearFrom: number, yearTo: number): string[] {
	const periods: string[] = [];
	for (let y = yearFrom; y <= yearTo; y++) {
		if (frequency === 'yearly') periods.push(String(y));
		else if (frequency === 'half_yearly') periods.push(`${y}-H1`, `${y}-H2`);
		else periods.push(`${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`);
	}
	return periods;
}

export function reportDue(period: string, workingDays: number, calendar: Calendar): IsoDate {
	return addWorkingDays(periodEnd(period), workingDays, calendar);
}

/** The periods already ended at `now`, newest first: the ones a task must report on. */
export function endedPeriods(
	frequency: ReportFrequency,
	yearFrom: number,
	yearTo: number,
	now: Date
): string[] {
	const today = vietnamDate(now);
	return periodsOf(frequency, yearFrom, yearTo)
		.filter((p) => periodEnd(p) < today)
		.reverse();
}

/** The period `now` falls in (or the plan's last one), the one a report is usually about. */
export function currentPeriod(
	frequency: ReportFrequency,
	yearFrom: number,
	yearTo: number,
	now: Date
): string {
	const today = vietnamDate(now);
	const all = periodsOf(frequency, yearFrom, yearTo);
	return all.find((p) => periodEnd(p) >= today) ?? all[all.length - 1]!;
}
