import { sql } from 'kysely';
import { analystUnits, type Grant } from '$lib/auth/access';
import type { Db } from '../db';
import { DEPLOYMENT_UNIT_KEY } from '../units/deployment';

/**
 * The units a staff member may run surveys for: every unit for an admin or an unscoped analyst;
 * otherwise the analyst's units and everything below them.
 */
export function fieldworkScope(grants: readonly Grant[]): number[] | 'all' {
	if (grants.some((g) => g.role === 'admin' || (g.role === 'analyst' && g.unitId === null)))
		return 'all';
	return grants
		.filter((g) => g.role === 'analyst' && g.unitId !== null)
		.map((g) => g.unitId as number);
}

/**
 * The units whose waves' microdata (one row per response) a staff member may download: an
 * analyst needs the microdata grant as well, for those units or for all.
 */
export function microdataScope(grants: readonly Grant[]): number[] | 'all' {
	if (!grants.some((g) => g.role === 'analyst')) return [];
	const granted = grants.filter((g) => g.role === 'microdata');
	if (granted.some((g) => g.unitId === null)) return 'all';
	return granted.map((g) => g.unitId as number);
}

/** The units among `unitIds` that are not inside `scope` (a unit is inside itself). */
export async function outsideScope(
	db: Db,
	scope: number[] | 'all',
	unitIds: number[]
): Promise<number[]> {
	if (scope === 'all' || unitIds.length === 0) return [];
	if (scope.length === 0) return unitIds;
	const { rows } = await sql<{ id: number }>`
		with recursive up(start, id, parent_id) as (
			select u.id, u.id, u.parent_id from admin_unit u where u.id in (${sql.join(unitIds)})
			union all
			select up.start, p.id, p.parent_id from up join admin_unit p on p.id = up.parent_id
		)
		select distinct start as id from up where id in (${sql.join(scope)})`.execute(db);
	const inside = new Set(rows.map((r) => r.id));
	return unitIds.filter((id) => !inside.has(id));
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
 * Whether a staff member may change an instrument (edit its questions, import a version, publish):
 * an instrument carries no unit and any wave may use it, so this needs scope over every unit
 * whose waves can use it: the deployment's province and the units of the waves already on it.
 * An analyst for all units or with those in their units may; so may an admin who also holds the
 * analyst role. Everyone else in fieldwork reads only. `instrumentId` null: a new instrument.
 */
export async function mayChangeInstrument(
	db: Db,
	grants: readonly Grant[],
	instrumentId: number | null
): Promise<boolean> {
	if (!grants.some((g) => g.role === 'analyst')) return false;
	const scope = analystUnits(grants);
	if (scope === 'all' || grants.some((g) => g.role === 'admin')) return true;
	const province = await db
		.selectFrom('app_meta')
		.select('value')
		.where('key', '=', DEPLOYMENT_UNIT_KEY)
		.executeTakeFirst();
	if (!province) return false;
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
	const needed = [Number(province.value), ...used.map((u) => u.unit_id)];
	return (await outsideScope(db, scope, needed)).length === 0;
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
