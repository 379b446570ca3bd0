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
	invitationId: number | null;
	submitKey: string;
};

/** Starts a draft; returns the resume code, which is shown to the respondent and kept only hashed. */
export async function startDraft(
	db: Db,
	waveId: number,
	invitationId: number | null = null,
	mode: 'web' | 'interviewer' = 'web'
): Promise<string> {
	const code = randomCode(3);
	await db
		.insertInto('survey_draft')
		.values({
			code_hash: hashCode(code),
			wave_id: waveId,
			invitation_id: invitationId,
			mode,
			submit_key: randomBytes(16).toString('base64url'),
			expires_at: new Date(Date.now() + DRAFT_DAYS * DAY_MS)
		})
		.execute();
	return code;
}

export async function loadDraft(db: Db, code: string, waveId: number): Promise<Draft | undefined> {
	const row = await db
		.selectFrom('survey_draft')
		.select(['wave_id', 'answers', 'invitation_id', 'submit_key', 'mode'])
		.where('code_hash', '=', hashCode(code))
		.where('wave_id', '=', waveId)
		.where('expires_at', '>', new Date())
		.executeTakeFirst();
	return (
		row && {
			waveId: row.wave_id,
			mode: row.mode,
			answers: row.answers,
			invitationId: row.invitation_id,
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
