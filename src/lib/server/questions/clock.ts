import { dueDate, vietnamDate, type IsoDate } from '$lib/deadlines/working-days';
import type { Db } from '../db';
import { deadlineRule, loadCalendar } from '../deadlines/calendar';

/** The rule every question's clock follows (5 working days unless the admins change it). */
export const QUESTION_RULE = 'question';

async function ruleDays(db: Db): Promise<number> {
	return (await deadlineRule(db, QUESTION_RULE))?.working_days ?? 5;
}

/** When a clock started on `start`, with the question's closed pauses, runs out. */
export async function questionDue(
	db: Db,
	start: IsoDate,
	pauses: readonly { from: IsoDate; to: IsoDate }[] = []
): Promise<IsoDate> {
	const [days, calendar] = await Promise.all([ruleDays(db), loadCalendar(db)]);
	return dueDate(days, start, pauses, calendar)!;
}

/** Stops the question's clock from today (waiting for the citizen). */
export async function pauseClock(trx: Db, questionId: number, now: Date): Promise<void> {
	await trx
		.updateTable('question')
		.set({ paused_since: vietnamDate(now), due_on: null })
		.where('id', '=', questionId)
		.execute();
}

/** Starts the clock again: the days used before the pause still count. */
export async function resumeClock(trx: Db, questionId: number, now: Date): Promise<void> {
	const q = await trx
		.selectFrom('question')
		.select(['clock_start', 'paused_since'])
		.where('id', '=', questionId)
		.executeTakeFirstOrThrow();
	if (!q.paused_since) return;
	const today = vietnamDate(now);
	await trx
		.insertInto('question_pause')
		.values({ question_id: questionId, from_day: day(q.paused_since), to_day: today })
		.onConflict((oc) => oc.columns(['question_id', 'from_day']).doUpdateSet({ to_day: today }))
		.execute();
	const pauses = await trx
		.selectFrom('question_pause')
		.select(['from_day', 'to_day'])
		.where('question_id', '=', questionId)
		.orderBy('from_day')
		.execute();
	const due = await questionDue(
		trx,
		day(q.clock_start),
		pauses.map((p) => ({ from: day(p.from_day), to: day(p.to_day) }))
	);
	await trx
		.updateTable('question')
		.set({ paused_since: null, due_on: due })
		.where('id', '=', questionId)
		.execute();
}

/** A `date` column as YYYY-MM-DD, whichever way the driver hands it over. */
export function day(value: string | Date): IsoDate {
	return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}
