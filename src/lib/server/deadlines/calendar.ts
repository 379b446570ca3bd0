import { calendarOf, type Calendar } from '$lib/deadlines/working-days';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';

/** The working-day calendar as the admins keep it (a few dozen rows a year). */
export async function loadCalendar(db: Db): Promise<Calendar> {
	const days = await db.selectFrom('calendar_day').select(['day', 'working']).execute();
	return calendarOf(days.map((d) => ({ day: String(d.day).slice(0, 10), working: d.working })));
}

/** How many working days a kind of case has ('question', 'information_simple', …). */
export async function deadlineRule(db: Db, code: string) {
	return db.selectFrom('deadline_rule').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The marked days of one year, for the admins' page. */
export async function calendarYear(db: Db, year: number) {
	const rows = await db
		.selectFrom('calendar_day')
		.selectAll()
		.where('day', '>=', `${year}-01-01`)
		.where('day', '<=', `${year}-12-31`)
		.orderBy('day')
		.execute();
	return rows.map((r) => ({ ...r, day: String(r.day).slice(0, 10) }));
}

/** Marks a day off or worked (replacing what was there), audited. */
export async function markDay(
	db: Db,
	d: { day: string; working: boolean; reasonVi: string; reasonEn: string },
	actorId: string
): Promise<void> {
	await inTransaction(db, async (trx) => {
		await trx
			.insertInto('calendar_day')
			.values({ day: d.day, working: d.working, reason_vi: d.reasonVi, reason_en: d.reasonEn })
			.onConflict((oc) =>
				oc
					.column('day')
					.doUpdateSet({ working: d.working, reason_vi: d.reasonVi, reason_en: d.reasonEn })
			)
			.execute();
		await audit(trx, {
			actorId,
			action: 'calendar.mark',
			entityType: 'calendar_day',
			entityId: d.day,
			details: { working: d.working }
		});
	});
}

/** Returns a day to the weekend rule, audited. */
export async function unmarkDay(db: Db, day: string, actorId: string): Promise<void> {
	await inTransaction(db, async (trx) => {
		await trx.deleteFrom('calendar_day').where('day', '=', day).execute();
		await audit(trx, {
			actorId,
			action: 'calendar.unmark',
			entityType: 'calendar_day',
			entityId: day
		});
	});
}
