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
 * due a number of working days after its period ends. Reporting duties start with the period in
 * which the plan (or a task added later) was adopted: `from`, the adoption date; a draft, not yet
 * adopted, would be adopted today at the earliest.
 */
export type ReportFrequency = 'quarterly' | 'half_yearly' | 'yearly';

const PERIOD = /^(\d{4})(?:-(Q|H)([1-4]))?$/;

function parts(period: string): { year: number; kind: 'Q' | 'H' | 'Y'; n: number } {
	const m = PERIOD.exec(period);
	if (!m || (m[2] === 'H' && Number(m[3]) > 2))
		throw new RangeError(`not a reporting period: ${period}`);
	return { year: Number(m[1]), kind: (m[2] as 'Q' | 'H' | undefined) ?? 'Y', n: Number(m[3] ?? 1) };
}

export function periodEnd(period: string): IsoDate {
	const { year, kind, n } = parts(period);
	const months = kind === 'Q' ? n * 3 : kind === 'H' ? n * 6 : 12;
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

export type PlanPeriods = {
	report_frequency: ReportFrequency;
	year_from: number;
	year_to: number;
};

/**
 * The periods a task reports on: the plan's, from the one its adoption date falls in (`from`;
 * null for a plan not yet adopted, as if adopted on `now`) to the plan's last.
 */
export function reportingPeriods(plan: PlanPeriods, from: IsoDate | null, now: Date): string[] {
	const start = from ?? vietnamDate(now);
	return periodsOf(plan.report_frequency, plan.year_from, plan.year_to).filter(
		(p) => periodEnd(p) >= start
	);
}

export function reportDue(period: string, workingDays: number, calendar: Calendar): IsoDate {
	return addWorkingDays(periodEnd(period), workingDays, calendar);
}

/**
 * The periods a task must already have reported on at `now`, newest first: those ended since its
 * adoption (`from`). Nothing before the adoption is owed.
 */
export function endedPeriods(plan: PlanPeriods, from: IsoDate | null, now: Date): string[] {
	const today = vietnamDate(now);
	return reportingPeriods(plan, from, now)
		.filter((p) => periodEnd(p) < today)
		.reverse();
}

/**
 * The period `now` falls in, the one a report is usually about: never before the adoption
 * (`from`), nor past the plan's last period.
 */
export function currentPeriod(plan: PlanPeriods, from: IsoDate | null, now: Date): string {
	const today = vietnamDate(now);
	const all = periodsOf(plan.report_frequency, plan.year_from, plan.year_to);
	const open = reportingPeriods(plan, from, now);
	return open.find((p) => periodEnd(p) >= today) ?? open[open.length - 1] ?? all[all.length - 1]!;
}
