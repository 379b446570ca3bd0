import { sql } from 'kysely';
import type { Db } from '../db';
import { DEPLOYMENT_UNIT_KEY } from '../units/deployment';
import type { Units } from './permissions';

/**
 * The units the permissions (surveys/permissions.ts, analytics/permissions.ts) decide on, loaded
 * from the database: `unitIds`, each with every unit above it.
 */
export async function unitsWithAncestry(db: Db, unitIds: readonly number[]): Promise<Units> {
	const above = new Map<number, number[]>();
	if (unitIds.length === 0) return { ids: [], above };
	const { rows } = await sql<{ start: number; id: number }>`
		with recursive up(start, id, parent_id) as (
			select u.id, u.id, u.parent_id from admin_unit u where u.id in (${sql.join([...new Set(unitIds)])})
			union all
			select up.start, p.id, p.parent_id from up join admin_unit p on p.id = up.parent_id
		)
		select start, id from up`.execute(db);
	for (const r of rows) above.set(r.start, [...(above.get(r.start) ?? []), r.id]);
	return { ids: unitIds, above };
}

export async function waveUnitIds(db: Db, waveId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('survey_wave_unit')
		.select('unit_id')
		.where('wave_id', '=', waveId)
		.execute();
	return rows.map((r) => r.unit_id);
}

/**
 * The units whose waves can use an instrument (see mayChangeInstrument): the deployment's province
 * and the units of the waves already on it; null when the deployment has no province.
 * `instrumentId` null: a new instrument.
 */
export async function instrumentUnits(db: Db, instrumentId: number | null): Promise<Units | null> {
	const province = await db
		.selectFrom('app_meta')
		.select('value')
		.where('key', '=', DEPLOYMENT_UNIT_KEY)
		.executeTakeFirst();
	if (!province) return null;
	const used =
		instrumentId === null
			? []
			: await db
					.selectFrom('survey_wave_unit as wu')
					.innerJoin('survey_wave as w', 'w.id', 'wu.wave_id')
					.innerJoin('instrument_version as v', 'v.id', 'w.instrument_version_id')
					.select('wu.unit_id')
					.distinct()
					.where('v.instrument_id', '=', instrumentId)
					.execute();
	return unitsWithAncestry(db, [Number(province.value), ...used.map((u) => u.unit_id)]);
}

/** The instrument an import of `slug` would change (a new version of it), or null: a new one. */
export async function instrumentBySlug(db: Db, slug: string): Promise<number | null> {
	const found = await db
		.selectFrom('instrument')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirst();
	return found?.id ?? null;
}
