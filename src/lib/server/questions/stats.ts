import { agencyStats, type AgencyStats, type Turn } from '$lib/questions/stats';
import type { Db } from '../db';
import { loadCalendar } from '../deadlines/calendar';
import { day } from './clock';

export type AgencyRow = AgencyStats & { nameVi: string; nameEn: string; slug: string };

/** Every agency's turns at questions (queued ones left out), for the Q&A's figures. */
export async function questionTurns(db: Db): Promise<Turn[]> {
	const rows = await db
		.selectFrom('question_assignment as s')
		.innerJoin('question as q', 'q.id', 's.question_id')
		.select([
			's.agency_id',
			's.question_id',
			's.state',
			's.assigned_at',
			's.answered_at',
			's.due_on',
			's.on_time',
			'q.rating'
		])
		.where('s.state', '<>', 'queued')
		.execute();
	return rows.map((r) => ({
		agencyId: r.agency_id,
		questionId: r.question_id,
		state: r.state as Turn['state'],
		assignedAt: r.assigned_at!,
		answeredAt: r.answered_at,
		dueOn: r.due_on ? day(r.due_on) : null,
		onTime: r.on_time,
		rating: r.rating
	}));
}

/** Every agency's figures (those that have received a question), busiest first. */
export async function questionStats(db: Db, now = new Date()): Promise<AgencyRow[]> {
	const [turns, agencies, calendar] = await Promise.all([
		questionTurns(db),
		db.selectFrom('agency').select(['id', 'slug', 'name_vi', 'name_en']).execute(),
		loadCalendar(db)
	]);
	const names = new Map(agencies.map((a) => [a.id, a]));
	return agencyStats(turns, now, calendar)
		.map((s) => {
			const a = names.get(s.agencyId)!;
			return { ...s, nameVi: a.name_vi, nameEn: a.name_en, slug: a.slug };
		})
		.sort((x, y) => y.received - x.received || x.nameVi.localeCompare(y.nameVi, 'vi'));
}
