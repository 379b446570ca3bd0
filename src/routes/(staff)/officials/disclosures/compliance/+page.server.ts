import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { compliance } from '$lib/server/disclosures/compliance';
import type { PageServerLoad } from './$types';

/** Every watched item of every unit, for the officials: what is overdue, due soon, missing. */
export const load: PageServerLoad = async (event) => {
	requireArea(event, 'officials');
	const state = event.url.searchParams.get('state');
	const c = await compliance(await getDb());
	const shown = ['overdue', 'due_soon', 'missing', 'published', 'upcoming'].includes(state ?? '')
		? c.cells.filter((x) => x.state === state)
		: c.cells.filter((x) => x.state !== 'upcoming');
	const unitName = new Map(c.units.map((u) => [u.id, u.name]));
	const type = new Map(c.types.map((t) => [t.code, t]));
	return {
		state,
		rows: shown.slice(0, 2000).map((x) => ({
			...x,
			unit: unitName.get(x.unitId) ?? '',
			typeVi: type.get(x.typeCode)?.vi ?? x.typeCode,
			typeEn: type.get(x.typeCode)?.en ?? x.typeCode
		})),
		total: shown.length
	};
};
