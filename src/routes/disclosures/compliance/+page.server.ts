import { getDb } from '$lib/server/db';
import { compliance, countStates } from '$lib/server/disclosures/compliance';
import type { PageServerLoad } from './$types';

/** The public summary: per type and per unit, how many items are published, overdue, missing. */
export const load: PageServerLoad = async () => {
	const c = await compliance(await getDb());
	return {
		byType: c.types.map((t) => ({
			...t,
			counts: countStates(c.cells.filter((x) => x.typeCode === t.code))
		})),
		byUnit: c.units
			.map((u) => ({ ...u, counts: countStates(c.cells.filter((x) => x.unitId === u.id)) }))
			.filter((u) => Object.values(u.counts).some((n) => n > 0))
	};
};
