import type { Db } from './db';
import { DEPLOYMENT_UNIT_KEY } from './units/deployment';

/**
 * Reference lists every feature picks from: the units the portal serves and the agencies. A
 * bilingual choice is `{ value, vi, en }`; pages show it with `localChoices`.
 */
export type Choice = { value: string; vi: string; en: string };

/** The province this portal serves and its communes in force, the province first. */
export function servedUnits(db: Db) {
	return db
		.selectFrom('app_meta')
		.innerJoin('admin_unit as p', (join) =>
			join.on((eb) => eb('p.id', '=', eb.cast<number>('app_meta.value', 'integer')))
		)
		.innerJoin('admin_unit as u', (join) =>
			join.on((eb) =>
				eb.or([eb('u.id', '=', eb.ref('p.id')), eb('u.parent_id', '=', eb.ref('p.id'))])
			)
		)
		.select(['u.id', 'u.code', 'u.name', 'u.level'])
		.where('app_meta.key', '=', DEPLOYMENT_UNIT_KEY)
		.where('u.valid_to', 'is', null)
		.orderBy((eb) => eb.case().when('u.level', '=', 'province').then(0).else(1).end())
		.orderBy('u.name')
		.execute();
}

/** The served units as choices; their names have no English form (English pages mark them lang="vi"). */
export async function unitsServed(db: Db): Promise<Choice[]> {
	const rows = await servedUnits(db);
	return rows.map((r) => ({ value: String(r.id), vi: r.name, en: '' }));
}

/**
 * The served units as choices by official code, for the staff forms that ask for a unit
 * ("Xã Vị Xuyên (00913)"); the server still checks the code it gets.
 */
export async function unitCodeChoices(db: Db): Promise<Choice[]> {
	const rows = await servedUnits(db);
	return rows.map((r) => ({ value: r.code, vi: `${r.name} (${r.code})`, en: '' }));
}

export async function agencies(db: Db): Promise<Choice[]> {
	const rows = await db
		.selectFrom('agency')
		.select(['id', 'name_vi', 'name_en'])
		.orderBy('name_vi')
		.execute();
	return rows.map((r) => ({ value: String(r.id), vi: r.name_vi, en: r.name_en }));
}
