import { createHash, randomBytes } from 'node:crypto';
import { vietnamDate } from '$lib/deadlines/working-days';
import { foldVietnamese } from '$lib/questions/search';
import { config } from '../config';
import { inTransaction, type Db } from '../db';
import type { Lang } from '../notify/message';
import { seal } from '../notify/seal';
import { clientKey, hit, type LimitResult } from '../security/rate-limit';
import { randomCode } from '../surveys/codes';
import { questionDue } from './clock';
import { recordEvent } from './events';
import { attachFiles } from './files';

/** How long an asker's name and contact are kept (the ask form says so). */
export const CONTACT_RETENTION_DAYS = 365;

export type NewQuestion = {
	topic: string;
	unitId: number;
	agencyId: number | null;
	title: string;
	body: string;
	name: string | null;
	email: string | null;
	phone: string | null;
	consent: boolean;
	files: readonly { sha256: string; name: string; size: number; mime: string }[];
	/** the language the question was asked in: the asker's messages are written in it */
	lang?: Lang;
};

/** The private link's secret: 128 bits, kept only as its SHA-256. */
export const accessHash = (token: string): string =>
	createHash('sha256').update(token).digest('hex');

/**
 * Files a citizen's question, waiting for moderation (nothing of it is public before a
 * moderator accepts it). Returns the tracking code and the private link's token.
 */
export async function askQuestion(
	db: Db,
	input: NewQuestion,
	now = new Date()
): Promise<{ id: number; code: string; token: string }> {
	const token = randomBytes(16).toString('base64url');
	const today = vietnamDate(now);
	const due = await questionDue(db, today);
	return inTransaction(db, async (trx) => {
		const code = `HD-${randomCode(2)}`;
		const { id } = await trx
			.insertInto('question')
			.values({
				code,
				access_hash: accessHash(token),
				topic_code: input.topic,
				unit_id: input.unitId,
				requested_agency_id: input.agencyId,
				title: input.title,
				body: input.body,
				public_title: input.title,
				public_body: input.body,
				// found by the staff's queue search before moderation (public lists filter by status)
				search_folded: foldVietnamese(`${input.title} ${input.body}`),
				status: 'pending',
				received_at: now,
				clock_start: today,
				due_on: due
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const contact = input.consent ? { email: input.email, phone: input.phone } : {};
		if (input.name || contact.email || contact.phone) {
			await trx
				.insertInto('question_contact')
				.values({
					question_id: id,
					name: input.name,
					email: contact.email ?? null,
					phone: contact.phone ?? null,
					consent_at: input.consent ? now : null,
					lang: input.lang ?? 'vi',
					// messages link to the private page; only its hash is kept on the question
					link_sealed: contact.email || contact.phone ? seal(token) : null,
					purge_after: new Date(now.getTime() + CONTACT_RETENTION_DAYS * 86_400_000)
				})
				.execute();
		}
		await attachFiles(trx, id, null, input.files);
		await recordEvent(trx, { questionId: id, kind: 'received', actorId: null });
		return { id, code, token };
	});
}

/** Slows spam per client without identifying anyone (a daily-rotating HMAC of the address). */
export async function hitAskLimit(db: Db, address: string): Promise<LimitResult> {
	const c = config();
	return hit(db, `question:${clientKey(address, c.appSecret)}`, {
		max: c.questionsPerHour,
		windowSeconds: 3600
	});
}

/** Deletes the names and contacts whose retention has run out. */
export async function purgeExpiredContacts(db: Db, now = new Date()): Promise<number> {
	const result = await db
		.deleteFrom('question_contact')
		.where('purge_after', '<', now)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** The folded text the public search looks in: the public question and its published replies. */
export async function refreshSearchText(trx: Db, questionId: number): Promise<void> {
	const q = await trx
		.selectFrom('question')
		.select(['public_title', 'public_body'])
		.where('id', '=', questionId)
		.executeTakeFirstOrThrow();
	const replies = await trx
		.selectFrom('question_reply')
		.select('body_md')
		.where('question_id', '=', questionId)
		.where('status', '=', 'published')
		.execute();
	const text = [q.public_title, q.public_body, ...replies.map((r) => r.body_md)].join(' ');
	await trx
		.updateTable('question')
		.set({ search_folded: foldVietnamese(text) })
		.where('id', '=', questionId)
		.execute();
}
