import { randomBytes } from 'node:crypto';
import { canonical, type CleanAnswer } from '$lib/surveys/answers';
import type { Insertable } from 'kysely';
import { inTransaction, type Db } from '../db';
import type { SurveyAnswerTable } from '../db/schema';
import { hashCode, randomCode, sha256 } from './codes';

export type Submission = {
	waveId: number;
	versionId: number;
	unitId: number | null;
	mode: 'web' | 'interviewer';
	/** the client's idempotency key: the same key always yields the same receipt */
	submitKey: string;
	answers: CleanAnswer[];
	/** the draft this submission completes, deleted with it */
	draftCode?: string;
	/** the invitation this submission uses up */
	invitationId?: number | null;
};

export type SubmitResult =
	| { ok: true; receipt: string; replay: boolean }
	| { ok: false; reason: 'key_reused' | 'invitation_used' };

/** The hour the response was given: nothing finer is stored. */
export function toHour(date: Date): Date {
	const d = new Date(date);
	d.setUTCMinutes(0, 0, 0);
	return d;
}

/**
 * Stores a response and its answers in one transaction keyed by the submit key. A repeat (even a
 * concurrent one) with the same key and answers returns the first receipt; the same key with
 * different answers is refused. Nothing links the response to a person or an invitation code.
 */
export async function submitResponse(
	db: Db,
	s: Submission,
	now = new Date()
): Promise<SubmitResult> {
	const keyHash = sha256(`survey-submit|${s.waveId}|${s.submitKey}`);
	const digest = sha256(canonical(s.answers));
	return inTransaction(db, async (trx): Promise<SubmitResult> => {
		const inserted = await trx
			.insertInto('survey_response')
			.values({
				wave_id: s.waveId,
				instrument_version_id: s.versionId,
				unit_id: s.unitId,
				mode: s.mode,
				submitted_hour: toHour(now),
				receipt: randomCode(3),
				submit_key_hash: keyHash,
				answers_digest: digest
			})
			.onConflict((oc) => oc.column('submit_key_hash').doNothing())
			.returning(['id', 'receipt'])
			.executeTakeFirst();

		if (!inserted) {
			const first = await trx
				.selectFrom('survey_response')
				.select(['receipt', 'answers_digest'])
				.where('submit_key_hash', '=', keyHash)
				.executeTakeFirstOrThrow();
			if (!Buffer.from(first.answers_digest).equals(Buffer.from(digest)))
				return { ok: false, reason: 'key_reused' };
			return { ok: true, receipt: first.receipt, replay: true };
		}

		if (s.invitationId) {
			const used = await trx
				.updateTable('invitation_code')
				.set({ used_at: now })
				.where('id', '=', s.invitationId)
				.where('used_at', 'is', null)
				.returning('id')
				.executeTakeFirst();
			if (!used) throw new InvitationUsed();
		}

		const rows = s.answers.flatMap((a): Insertable<SurveyAnswerTable>[] => {
			const base = {
				response_id: inserted.id,
				option_code: null,
				value_num: null,
				value_text: null
			};
			if ('options' in a)
				return a.options.map((o) => ({ ...base, question_code: a.code, option_code: o }));
			if ('number' in a) return [{ ...base, question_code: a.code, value_num: a.number }];
			return [{ ...base, question_code: a.code, value_text: a.text }];
		});
		if (rows.length) await trx.insertInto('survey_answer').values(rows).execute();
		if (s.draftCode)
			await trx.deleteFrom('survey_draft').where('code_hash', '=', hashCode(s.draftCode)).execute();
		return { ok: true, receipt: inserted.receipt, replay: false };
	}).catch((e: unknown): SubmitResult => {
		if (e instanceof InvitationUsed) return { ok: false, reason: 'invitation_used' };
		throw e;
	});
}

class InvitationUsed extends Error {}

/** A fresh idempotency key for a form that submits answers directly (the one-page layout). */
export function newSubmitKey(): string {
	return randomBytes(16).toString('base64url');
}
