import { sql } from 'kysely';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { recomputeWave } from '../analytics/aggregate';
import { refreshSnapshots } from '../analytics/snapshot';
import { unrake } from './raking';
import { communesInScope } from './waves';

/** The wave's design weights and strata by commune, in the form staff edit them. */
export async function waveWeights(db: Db, waveId: number) {
	return db
		.selectFrom('survey_wave_weight as ww')
		.innerJoin('admin_unit as u', 'u.id', 'ww.unit_id')
		.select(['u.code', 'u.name', 'ww.weight', 'ww.stratum'])
		.where('ww.wave_id', '=', waveId)
		.orderBy('u.code')
		.execute();
}

/**
 * Replaces the wave's design weights and strata, then rebuilds its analytics from the raw answers
 * so every estimate uses them (the published snapshot at once when no response waits for the next
 * step, else with it). Returns the codes that are not communes of the wave (nothing is changed),
 * and whether raked weights were dropped: the raking started from the old design weights, so
 * the new ones apply until the wave is raked again (its margins are kept).
 */
export async function replaceWeights(
	db: Db,
	waveId: number,
	weights: readonly { code: string; weight: number; stratum?: string }[],
	actorId: string
): Promise<{ unknown: string[]; unraked: boolean }> {
	const communes = new Map((await communesInScope(db, waveId)).map((c) => [c.code, c.id]));
	const unknown = weights.filter((w) => !communes.has(w.code)).map((w) => w.code);
	if (unknown.length) return { unknown, unraked: false };
	const unraked = await inTransaction(db, async (trx) => {
		// one raking or change of design weights of a wave at a time
		await sql`select id from survey_wave where id = ${waveId} for update`.execute(trx);
		await trx.deleteFrom('survey_wave_weight').where('wave_id', '=', waveId).execute();
		if (weights.length)
			await trx
				.insertInto('survey_wave_weight')
				.values(
					weights.map((w) => ({
						wave_id: waveId,
						unit_id: communes.get(w.code)!,
						weight: w.weight,
						stratum: w.stratum ?? ''
					}))
				)
				.execute();
		await audit(trx, {
			actorId,
			action: 'wave.weights',
			entityType: 'survey_wave',
			entityId: waveId,
			details: { communes: weights.length }
		});
		return unrake(trx, waveId);
	});
	await recomputeWave(db, waveId);
	await refreshSnapshots(db, { only: waveId });
	return { unknown: [], unraked };
}
