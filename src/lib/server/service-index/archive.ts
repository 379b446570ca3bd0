import { sql } from 'kysely';
import { DEFAULT_K } from '$lib/analytics/suppression';
import {
	addMonths,
	buildReport,
	currentMonth,
	firstDay,
	monthsBetween,
	type MonthReport
} from '$lib/service-index/figures';
import { vietnamDate } from '$lib/deadlines/working-days';
import type { Db } from '../db';
import { monthCounts } from './counts';

export type PublishedMonth = {
	report: MonthReport;
	/** the month in progress: its figures still change */
	provisional: boolean;
	/** when a closed month's figures were frozen */
	frozenAt: Date | null;
};

/**
 * The month's figures as computed now, suppressed below k; while the month is in progress, the
 * figures made from ratings are pending (see `buildReport`).
 */
export async function computeReport(
	db: Db,
	month: string,
	now = new Date(),
	k = DEFAULT_K
): Promise<MonthReport> {
	const { agencies, fields } = await monthCounts(db, month, now);
	return buildReport(month, agencies, fields, k, month >= currentMonth(now));
}

/**
 * What is published for `month` (YYYY-MM): the month in progress as computed now, marked
 * provisional, without the figures made from ratings; a closed month as frozen the first time it
 * was asked for (computed and kept then, so later re-imports and late ratings do not change what
 * was published). A month that has not begun has nothing (null).
 */
export async function publishedMonth(
	db: Db,
	month: string,
	now = new Date()
): Promise<PublishedMonth | null> {
	const current = currentMonth(now);
	if (month > current) return null;
	if (month === current)
		return { report: await computeReport(db, month, now), provisional: true, frozenAt: null };
	const frozen = () =>
		db
			.selectFrom('service_index_month')
			.select(['report', 'frozen_at'])
			.where('month', '=', firstDay(month))
			.executeTakeFirst();
	let row = await frozen();
	if (!row) {
		const report = await computeReport(db, month, now);
		// two servers freezing at once: the first one's figures are kept, and both show them
		await db
			.insertInto('service_index_month')
			.values({ month: firstDay(month), k: report.k, report: JSON.stringify(report) })
			.onConflict((oc) => oc.column('month').doNothing())
			.execute();
		row = (await frozen())!;
	}
	return { report: row.report, provisional: false, frozenAt: row.frozen_at };
}

/** Freezes the month before `now`'s (for the hourly housekeeping). */
export async function freezeLastMonth(db: Db, now = new Date()): Promise<void> {
	await publishedMonth(db, addMonths(currentMonth(now), -1), now);
}

/**
 * The closed months with something to show, newest first: from the first month with a dossier,
 * a rating, a question's turn or a frozen report, to the month before this one (five years at most).
 */
export async function archiveMonths(db: Db, now = new Date()): Promise<string[]> {
	const row = await db
		.selectNoFrom([
			sql<string | null>`(select min(received_on)::text from dossier)`.as('dossier'),
			sql<string | null>`(select min(month)::text from dossier_rating)`.as('rating'),
			sql<string | null>`(select min(month)::text from service_index_month)`.as('frozen'),
			sql<Date | null>`(select min(assigned_at) from question_assignment)`.as('question')
		])
		.executeTakeFirstOrThrow();
	const firsts = [
		row.dossier,
		row.rating,
		row.frozen,
		row.question ? vietnamDate(new Date(row.question)) : null
	]
		.filter((d): d is string => !!d)
		.map((d) => d.slice(0, 7));
	if (firsts.length === 0) return [];
	const last = addMonths(currentMonth(now), -1);
	return monthsBetween(firsts.sort()[0]!, last);
}
