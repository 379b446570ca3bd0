import { randomBytes } from 'node:crypto';
import type { RawAnswers } from '$lib/surveys/answers';
import type { Db } from '../db';
import { hashCode, randomCode } from './codes';

/** A draft lives this long after its last save. */
export const DRAFT_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export type Draft = {
	waveId: number;
	mode: 'web' | 'interviewer';
	answers: RawAnswers;
	/** holds the one-time ballot of an invitation wave (it names no code) */
	ballot: boolean;
	submitKey: string;
};

/** A new draft's resume code (shown to the respondent) and its row, which keeps the code hashed. */
export function newDraft(waveId: number, mode: 'web' | 'interviewer') {
	const code = randomCode(3);
	return {
		code,
		row: {
			code_hash: hashCode(code),
			wave_id: waveId,
			mode,
			submit_key: randomBytes(16).toString('base64url'),
			expires_at: new Date(Date.now() + DRAFT_DAYS * DAY_MS)
		}
	};
}

/**
 * Starts a draft without a ballot (an open-link wave); returns the resume code. An invitation
 * wave's draft is started by redeemInvitation, which uses the code up in the same transaction.
 */
export async function startDraft(
	db: Db,
	waveId: number,
	mode: 'web' | 'interviewer' = 'web'
): Promise<string> {
	const { code, row } = newDraft(waveId, mode);
	await db.insertInto('survey_draft').values(row).execute();
	return code;
}

export async function loadDraft(db: Db, code: string, waveId: number): Promise<Draft | undefined> {
	const row = await db
		.selectFrom('survey_draft')
		.select(['wave_id', 'answers', 'ballot', 'submit_key', 'mode'])
		.where('code_hash', '=', hashCode(code))
		.where('wave_id', '=', waveId)
		.where('expires_at', '>', new Date())
		.executeTakeFirst();
	return (
		row && {
			waveId: row.wave_id,
			mode: row.mode,
			answers: row.answers,
			ballot: row.ballot,
			submitKey: row.submit_key
		}
	);
}

/** Replaces the draft's answers and extends its life. */
export async function saveDraftAnswers(db: Db, code: string, answers: RawAnswers): Promise<void> {
	const now = new Date();
	await db
		.updateTable('survey_draft')
		.set({
			answers: JSON.stringify(answers),
			updated_at: now,
			expires_at: new Date(now.getTime() + DRAFT_DAYS * DAY_MS)
		})
		.where('code_hash', '=', hashCode(code))
		.execute();
}

export async function purgeExpiredDrafts(db: Db, now = new Date()): Promise<number> {
	const result = await db
		.deleteFrom('survey_draft')
		.where('expires_at', '<=', now)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
