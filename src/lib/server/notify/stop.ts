import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import type { Db } from '../db';
import { keySecret } from '../security/rate-limit';
import { publicUrl } from './links';

const mac = (questionId: number) =>
	createHmac('sha256', keySecret(config().appSecret))
		.update(`stop|${questionId}`)
		.digest()
		.subarray(0, 16);

/**
 * The one-click stop of one question's messages: the question's id and an HMAC of it under the
 * server's secret, so nothing is stored and no one can stop another person's messages.
 */
export function stopToken(questionId: number): string {
	return `${questionId}.${mac(questionId).toString('base64url')}`;
}

/** The question a stop token was made for, or null when it was not made by this server. */
export function readStopToken(token: string): number | null {
	const match = /^([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{22})$/.exec(token);
	if (!match) return null;
	const id = Number(match[1]);
	if (id > 2_147_483_647) return null;
	const given = Buffer.from(match[2]!, 'base64url');
	return given.length === 16 && timingSafeEqual(given, mac(id)) ? id : null;
}

export const stopUrl = (questionId: number) =>
	publicUrl(`/questions/stop/${stopToken(questionId)}`);

export type StopState = { code: string; state: 'active' | 'stopped' | 'none' };

/**
 * What a stop link would stop: the question's code, and whether messages still go to its asker
 * ('none': no contact with consent is kept any more, so nothing is sent anyway).
 */
export async function stopState(db: Db, questionId: number): Promise<StopState | null> {
	const row = await db
		.selectFrom('question as q')
		.leftJoin('question_contact as c', (j) =>
			j.onRef('c.question_id', '=', 'q.id').on('c.consent_at', 'is not', null)
		)
		.select(['q.code', 'c.question_id as contact', 'c.stopped_at'])
		.where('q.id', '=', questionId)
		.executeTakeFirst();
	if (!row) return null;
	const state = row.contact === null ? 'none' : row.stopped_at ? 'stopped' : 'active';
	return { code: row.code, state };
}

/** Nothing more is sent about this question: pending messages are dropped when their turn comes. */
export async function stopMessages(db: Db, questionId: number, now = new Date()): Promise<void> {
	await db
		.updateTable('question_contact')
		.set({ stopped_at: now })
		.where('question_id', '=', questionId)
		.where('stopped_at', 'is', null)
		.execute();
}
