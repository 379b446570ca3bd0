import { sql, type RawBuilder } from 'kysely';
import { vietnamDate, type IsoDate } from '$lib/deadlines/working-days';
import { daysLate } from '$lib/dossiers/lateness';
import type { Db } from '../db';
import { lateSql } from '../dossiers/lateness';

/** How many late items the page lists at once (the oldest first); the rest follow as letters are drafted. */
export const LATE_LIST_LIMIT = 100;

/**
 * A question turn answered late, or still open after its due day (alias `qa`): the Q&A's own rule
 * (on_time is set when the answer is published, against the turn's due day).
 */
export function lateTurnSql(today: IsoDate): RawBuilder<boolean> {
	return sql<boolean>`(qa.due_on is not null and (
		(qa.state = 'answered' and qa.on_time = false) or
		(qa.state = 'active' and ${today}::date > qa.due_on)))`;
}

export type LateItem = {
	kind: 'dossier' | 'question';
	/** the dossier's id, or the question turn's */
	id: number;
	agencyName: { vi: string; en: string };
	/** the dossier's procedure, or the question's code and title */
	what: string;
	dueOn: IsoDate;
	doneOn: IsoDate | null;
	daysLate: number;
};

/** The late dossiers and late question turns of `agencies` that have no letter yet, oldest first. */
export async function lateWithoutLetter(
	db: Db,
	agencies: number[],
	today: IsoDate
): Promise<{ items: LateItem[]; total: number }> {
	if (!agencies.length) return { items: [], total: 0 };
	const dossiers = db
		.selectFrom('dossier as d')
		.innerJoin('agency as a', 'a.id', 'd.agency_id')
		.where('d.agency_id', 'in', agencies)
		.where(lateSql(today))
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('apology_letter as l').select('l.id').whereRef('l.dossier_id', '=', 'd.id')
				)
			)
		);
	const turns = db
		.selectFrom('question_assignment as qa')
		.innerJoin('question as q', 'q.id', 'qa.question_id')
		.innerJoin('agency as a', 'a.id', 'qa.agency_id')
		.where('qa.agency_id', 'in', agencies)
		.where(lateTurnSql(today))
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('apology_letter as l').select('l.id').whereRef('l.assignment_id', '=', 'qa.id')
				)
			)
		);
	const [d, t, dn, tn] = await Promise.all([
		dossiers
			.select(['d.id', 'a.name_vi', 'a.name_en', 'd.procedure', 'd.due_on', 'd.completed_on'])
			.orderBy('d.due_on')
			.orderBy('d.id')
			.limit(LATE_LIST_LIMIT)
			.execute(),
		turns
			.select([
				'qa.id',
				'a.name_vi',
				'a.name_en',
				'q.code',
				'q.title',
				'qa.due_on',
				'qa.answered_at'
			])
			.orderBy('qa.due_on')
			.orderBy('qa.id')
			.limit(LATE_LIST_LIMIT)
			.execute(),
		dossiers.select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
		turns.select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
	]);
	const items: LateItem[] = [
		...d.map((r) => ({
			kind: 'dossier' as const,
			id: r.id,
			agencyName: { vi: r.name_vi, en: r.name_en },
			what: r.procedure,
			dueOn: r.due_on!,
			doneOn: r.completed_on,
			daysLate: daysLate(r.due_on!, r.completed_on, today)
		})),
		...t.map((r) => {
			const doneOn = r.answered_at ? vietnamDate(r.answered_at) : null;
			return {
				kind: 'question' as const,
				id: r.id,
				agencyName: { vi: r.name_vi, en: r.name_en },
				what: `${r.code} — ${r.title}`,
				dueOn: r.due_on!,
				doneOn,
				daysLate: daysLate(r.due_on!, doneOn, today)
			};
		})
	].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id - b.id);
	return { items: items.slice(0, LATE_LIST_LIMIT), total: Number(dn.n) + Number(tn.n) };
}
