import { sql } from 'kysely';
import { monthOf } from '$lib/dossiers/lateness';
import type { IsoDate } from '$lib/deadlines/working-days';
import type { Db } from '../db';
import { decidedMonthSql, lateSql } from '../dossiers/lateness';

export type LetterCoverage = { late: number; withLetter: number };

/**
 * The monthly figure "late dossiers with an apology letter", per agency: `late` counts the
 * dossiers whose outcome is late and belongs to `month` (the shared lateness rule, figures taken
 * on `today`), `withLetter` those of them whose letter is approved (or sent). Agencies without a
 * late dossier that month are absent. Counts of dossiers, not of people: nothing to suppress.
 */
export async function letterCoverage(
	db: Db,
	{ month, today }: { month: IsoDate; today: IsoDate }
): Promise<Map<number, LetterCoverage>> {
	const rows = await db
		.selectFrom('dossier as d')
		.leftJoin('apology_letter as l', (j) =>
			j.onRef('l.dossier_id', '=', 'd.id').on('l.state', 'in', ['approved', 'sent'])
		)
		.where(lateSql(today))
		.where(decidedMonthSql(today), '=', monthOf(month))
		.groupBy('d.agency_id')
		.select([
			'd.agency_id',
			(e) => e.fn.countAll<string>().as('late'),
			sql<string>`count(l.id)`.as('with_letter')
		])
		.execute();
	return new Map(
		rows.map((r) => [r.agency_id, { late: Number(r.late), withLetter: Number(r.with_letter) }])
	);
}
