import { sql } from 'kysely';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { hashCode, randomCode } from './codes';
import { newDraft } from './drafts';

/** Generates a batch of single-use codes; the plain codes are returned once and never stored. */
export async function generateInvitations(
	db: Db,
	waveId: number,
	count: number,
	actorId: string | null
): Promise<string[]> {
	return inTransaction(db, async (trx) => {
		const { batches: batch } = await trx
			.insertInto('invitation_tally')
			.values({ wave_id: waveId, batches: 1, issued: count })
			.onConflict((oc) =>
				oc.column('wave_id').doUpdateSet({
					batches: sql`invitation_tally.batches + 1`,
					issued: sql`invitation_tally.issued + ${count}::int`
				})
			)
			.returning('batches')
			.executeTakeFirstOrThrow();
		const codes = Array.from({ length: count }, () => randomCode(3));
		for (let i = 0; i < codes.length; i += 1000) {
			await trx
				.insertInto('invitation_code')
				.values(
					codes.slice(i, i + 1000).map((c) => ({ wave_id: waveId, code_hash: hashCode(c), batch }))
				)
				.execute();
		}
		await audit(trx, {
			actorId,
			action: 'wave.invitations',
			entityType: 'survey_wave',
			entityId: waveId,
			details: { batch, count }
		});
		return codes;
	});
}

/**
 * Uses an invitation code up and hands out a one-time ballot: a draft, found by the resume code
 * returned, that may submit one response to the wave. Returns nothing for a code that is wrong,
 * used or of another wave, or when the wave is not open.
 *
 * One statement (so one transaction of its own, never the response's): the code's row is deleted,
 * so a used code leaves no live row whose transaction id, place or time could be joined to the
 * response, and the draft names no code. Concurrent uses of one code: the first deletes the row,
 * the others find nothing to delete and get no draft. The ballot lives in the draft until the
 * response's transaction spends it (submitResponse deletes the draft with the response), so a
 * failure in between leaves the respondent able to finish with the resume code.
 */
export async function redeemInvitation(
	db: Db,
	waveId: number,
	code: string,
	mode: 'web' | 'interviewer' = 'web'
): Promise<string | undefined> {
	const draft = newDraft(waveId, mode);
	const { rows } = await sql<{ wave_id: number }>`
		with used as (
			delete from invitation_code
			where code_hash = ${hashCode(code)} and wave_id = ${waveId}::int
				and exists (select from survey_wave
					where id = ${waveId}::int and status = 'open' and access_mode = 'invitation')
			returning wave_id
		)
		insert into survey_draft (code_hash, wave_id, ballot, mode, submit_key, expires_at)
		select ${draft.row.code_hash}, used.wave_id, true, ${mode}::text, ${draft.row.submit_key}::text,
			${draft.row.expires_at}::timestamptz
		from used
		returning wave_id`.execute(db);
	return rows.length === 1 ? draft.code : undefined;
}
