import { sql } from 'kysely';
import {
	addMonths,
	EMPTY_COUNTS,
	firstDay,
	turnMonth,
	type AgencyCounts,
	type FieldCounts,
	type MonthCounts
} from '$lib/service-index/figures';
import { agencyStats } from '$lib/questions/stats';
import { addDays, vietnamDate } from '$lib/deadlines/working-days';
import type { Db } from '../db';
import { loadCalendar } from '../deadlines/calendar';
import { decidedMonthSql, lateSql } from '../dossiers/lateness';
import { letterCoverage } from '../letters/coverage';
import { questionTurns } from '../questions/stats';

const n = (v: string | number | bigint | null | undefined) => Number(v ?? 0);

/** The moment a Việt Nam day begins. */
const vietnamMidnight = (day: string) => new Date(`${day}T00:00:00+07:00`);

/**
 * What each agency did in `month` (YYYY-MM, Việt Nam time), counted for the 766 figures, and per
 * agency and field the dossiers received and the ratings taken (dossier ratings and counter-kiosk
 * responses) for the sampling rate. `now` fixes which open dossiers and questions are late.
 */
export async function monthCounts(
	db: Db,
	month: string,
	now = new Date()
): Promise<{ agencies: AgencyCounts[]; fields: FieldCounts[] }> {
	const start = firstDay(month);
	const next = firstDay(addMonths(month, 1));
	const today = vietnamDate(now);
	const [decided, received, ratings, kiosk, turns, calendar, agencies, letters] = await Promise.all(
		[
			db
				.selectFrom('dossier as d')
				.select([
					'd.agency_id',
					sql<string>`count(*)`.as('decided'),
					sql<string>`count(*) filter (where not ${lateSql(today)})`.as('on_time')
				])
				// only dossiers completed in the month or due the day before one of its days can belong to it
				.where((eb) =>
					eb.or([
						eb.and([eb('d.completed_on', '>=', start), eb('d.completed_on', '<', next)]),
						eb.and([
							eb('d.due_on', '>=', addDays(start, -1)),
							eb('d.due_on', '<', addDays(next, -1))
						])
					])
				)
				.where(sql<boolean>`${decidedMonthSql(today)} = ${start}`)
				.groupBy('d.agency_id')
				.execute(),
			db
				.selectFrom('dossier as d')
				.select([
					'd.agency_id',
					'd.field',
					sql<string>`count(*)`.as('received'),
					sql<string>`count(*) filter (where d.channel = 'online')`.as('online')
				])
				.where('d.received_on', '>=', start)
				.where('d.received_on', '<', next)
				.groupBy(['d.agency_id', 'd.field'])
				.execute(),
			db
				.selectFrom('dossier_rating as r')
				.select([
					'r.agency_id',
					'r.field',
					sql<string>`count(*)`.as('ratings'),
					sql<string>`count(*) filter (where r.overall >= 3)`.as('satisfied'),
					sql<string>`coalesce(sum(r.waiting_minutes), 0)`.as('minutes'),
					sql<string>`count(*) filter (where r.visits = 1)`.as('one_visit')
				])
				.where('r.month', '=', start)
				.groupBy(['r.agency_id', 'r.field'])
				.execute(),
			db
				.selectFrom('survey_response as s')
				.innerJoin('counter as c', 'c.id', 's.counter_id')
				.select(['c.agency_id', 's.field', sql<string>`count(*)`.as('responses')])
				.where('s.submitted_hour', '>=', vietnamMidnight(start))
				.where('s.submitted_hour', '<', vietnamMidnight(next))
				.groupBy(['c.agency_id', 's.field'])
				.execute(),
			questionTurns(db),
			loadCalendar(db),
			db.selectFrom('agency').select(['id', 'name_vi', 'name_en']).execute(),
			letterCoverage(db, { month: start, today })
		]
	);

	const counts = new Map<number, MonthCounts>();
	const add = (agencyId: number, more: Partial<MonthCounts>) => {
		const c = counts.get(agencyId) ?? { ...EMPTY_COUNTS };
		for (const [key, value] of Object.entries(more)) c[key as keyof MonthCounts] += value;
		counts.set(agencyId, c);
	};
	for (const r of decided) add(r.agency_id, { decided: n(r.decided), decidedOnTime: n(r.on_time) });
	for (const [agencyId, c] of letters) add(agencyId, { lateWithLetter: c.withLetter });
	for (const r of received)
		add(r.agency_id, { received: n(r.received), receivedOnline: n(r.online) });
	for (const r of ratings)
		add(r.agency_id, {
			ratings: n(r.ratings),
			ratingsSatisfied: n(r.satisfied),
			waitingMinutes: n(r.minutes),
			oneVisit: n(r.one_visit)
		});
	const judged = turns.filter((t) => turnMonth(t, today) === start);
	for (const s of agencyStats(judged, now, calendar))
		add(s.agencyId, {
			qaJudged: s.judged,
			qaOnTime: s.answeredOnTime,
			qaSatisfied: s.judgedSatisfied
		});

	const fields = new Map<string, FieldCounts>();
	const field = (agencyId: number, name: string | null) => {
		const key = `${agencyId}\u0000${name ?? ''}`;
		const f = fields.get(key) ?? { agencyId, field: name ?? '', received: 0, sampled: 0 };
		fields.set(key, f);
		return f;
	};
	for (const r of received) field(r.agency_id, r.field).received += n(r.received);
	for (const r of ratings) field(r.agency_id, r.field).sampled += n(r.ratings);
	for (const r of kiosk) {
		field(r.agency_id, r.field).sampled += n(r.responses);
		if (!counts.has(r.agency_id)) counts.set(r.agency_id, { ...EMPTY_COUNTS });
	}

	const names = new Map(agencies.map((a) => [a.id, a]));
	return {
		agencies: [...counts].map(([agencyId, c]) => ({
			agencyId,
			nameVi: names.get(agencyId)!.name_vi,
			nameEn: names.get(agencyId)!.name_en,
			counts: c
		})),
		fields: [...fields.values()]
	};
}
