import { codeParam, idParam, pageOf, parseList } from '$lib/lists';
import { getDb } from '$lib/server/db';
import { compliance, countStates, filterCells } from '$lib/server/disclosures/compliance';
import type { PageServerLoad } from './$types';

/**
 * The public summary: per type and per unit, how many items are published (and of them, late),
 * overdue, missing; narrowed to an area or a type; the units a page at a time.
 */
export const load: PageServerLoad = async ({ url }) => {
	const p = parseList({ unit: idParam, type: codeParam }, url.searchParams);
	const c = await compliance(await getDb());
	// the summary counts every watched item (upcoming ones are not counted in any column)
	const cells = filterCells(c.cells, { state: null, unitId: p.unit, type: p.type });
	const byUnit = pageOf(
		c.units
			.map((u) => ({ ...u, counts: countStates(cells.filter((x) => x.unitId === u.id)) }))
			.filter((u) => Object.values(u.counts).some((n) => n > 0)),
		p.page
	);
	return {
		filter: { unitId: p.unit ?? null, type: p.type ?? null, page: byUnit.page },
		byType: c.types
			.filter((t) => !p.type || t.code === p.type)
			.map((t) => ({ ...t, counts: countStates(cells.filter((x) => x.typeCode === t.code)) })),
		byUnit: byUnit.rows,
		unitTotal: byUnit.total,
		pages: byUnit.pages,
		units: c.units.map((u) => ({ value: String(u.id), label: u.name })),
		types: c.types.map((t) => ({ value: t.code, vi: t.vi, en: t.en }))
	};
};
