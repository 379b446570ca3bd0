import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { hashCode, randomCode } from './codes';

/** Generates a batch of single-use codes; the plain codes are returned once and never stored. */
export async function generateInvitations(
	db: Db,
	waveId: number,
	count: number,
	actorId: string | null
): Promise<string[]> {
	return inTransaction(db, async (trx) => {
		const last = await trx
			.selectFrom('invitation_code')
			.select((eb) => eb.fn.max('batch').as('b'))
			.where('wave_id', '=', waveId)
			.executeTakeFirstOrThrow();
		const batch = Number(last.b ?? 0) + 1;
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

/** The id of an unused invitation of this wave with this code, if there is one. */
export async function findUnusedInvitation(
	db: Db,
	waveId: number,
	code: string
): Promise<number | undefined> {
	const row = await db
		.selectFrom('invitation_code')
		.select('id')
		.where('code_hash', '=', hashCode(code))
		.where('wave_id', '=', waveId)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return row?.id;
}
