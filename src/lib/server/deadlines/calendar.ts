import { calendarOf, type Calendar } from '$lib/deadlines/working-days';
import type { Db } from '../db';

/** The working-day calendar as the admins keep it (a few dozen rows a year). */
export async function loadCalendar(db: Db): Promise<Calendar> {
	const days = await db.selectFrom('calendar_day').select(['day', 'working']).execute();
	return calendarOf(days.map((d) => ({ day: String(d.day).slice(0, 10), working: d.working })));
}

/** How many working days a kind of case has ('question', 'information_simple', …). */
export async function deadlineRule(db: Db, code: string) {
	return db.selectFrom('deadline_rule').selectAll().where('code', '=', code).executeTakeFirst();
}
