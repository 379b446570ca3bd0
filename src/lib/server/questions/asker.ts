import { vietnamDate } from '$lib/deadlines/working-days';
import type { QuestionRating } from '../db/schema';
import { inTransaction, type Db } from '../db';
import { accessHash } from './ask';
import { resumeClock, questionDue } from './clock';
import { mayRate, mayReopen } from './permissions';
import { refuseAsker } from './refusals';
import { recordEvent } from './events';

/** The question behind a private link, locked for an update when `lock` is set. */
async function byToken(db: Db, token: string, lock = false) {
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
	return db
		.selectFrom('question')
		.selectAll()
		.where('access_hash', '=', accessHash(token))
		.$if(lock, (q) => q.forUpdate())
		.executeTakeFirst();
}

export async function askerQuestion(db: Db, token: string) {
	const q = await byToken(db, token);
	if (!q) return undefined;
	const mergedInto = q.merged_into_id
		? await db
				.selectFrom('question')
				.select(['code', 'status'])
				.where('id', '=', q.merged_into_id)
				.executeTakeFirst()
		: undefined;
	return { ...q, mergedInto };
}

/** The asker adds the detail the moderator asked for; the clock runs again. */
export async function provideInfo(db: Db, token: string, detail: string, now = new Date()) {
	await inTransaction(db, async (trx) => {
		const q = await byToken(trx, token, true);
		if (!q) throw refuseAsker('not_found');
		if (q.status !== 'needs_info') throw refuseAsker('state');
		const addition = `\n\n${detail}`;
		await trx
			.updateTable('question')
			.set({
				status: 'pending',
				body: q.body + addition,
				public_body: q.public_body + addition,
				info_request: null
			})
			.where('id', '=', q.id)
			.execute();
		await resumeClock(trx, q.id, now);
		await recordEvent(trx, {
			questionId: q.id,
			kind: 'info_provided',
			actorId: null,
			note: detail
		});
	});
}

export async function rateAnswer(
	db: Db,
	token: string,
	rating: QuestionRating,
	comment: string | null
) {
	await inTransaction(db, async (trx) => {
		const q = await byToken(trx, token, true);
		if (!q) throw refuseAsker('not_found');
		if (!mayRate(q)) throw refuseAsker('state');
		await trx
			.updateTable('question')
			.set({ rating, rating_comment: comment, rated_at: new Date() })
			.where('id', '=', q.id)
			.execute();
		await recordEvent(trx, { questionId: q.id, kind: 'rated', actorId: null, note: rating });
	});
}

/**
 * "This did not answer my question": once per question, back to the agency that answered last,
 * with a fresh clock. It counts as not satisfied until the asker rates the new answer.
 */
export async function reopenQuestion(db: Db, token: string, reason: string, now = new Date()) {
	await inTransaction(db, async (trx) => {
		const q = await byToken(trx, token, true);
		if (!q) throw refuseAsker('not_found');
		if (!mayReopen(q)) throw refuseAsker('state');
		const last = await trx
			.selectFrom('question_assignment')
			.select(['agency_id', 'position'])
			.where('question_id', '=', q.id)
			.where('state', '=', 'answered')
			.orderBy('answered_at', 'desc')
			.executeTakeFirstOrThrow();
		const due = await questionDue(trx, vietnamDate(now));
		await trx
			.insertInto('question_assignment')
			.values({
				question_id: q.id,
				agency_id: last.agency_id,
				position: last.position + 1,
				state: 'active',
				assigned_at: now,
				due_on: due
			})
			.execute();
		await trx
			.updateTable('question')
			.set({
				status: 'assigned',
				agency_id: last.agency_id,
				due_on: due,
				reopened_at: now,
				rating: 'unsatisfied',
				rating_comment: reason,
				rated_at: now
			})
			.where('id', '=', q.id)
			.execute();
		await recordEvent(trx, {
			questionId: q.id,
			kind: 'reopened',
			actorId: null,
			agencyId: last.agency_id,
			note: reason
		});
	});
}
