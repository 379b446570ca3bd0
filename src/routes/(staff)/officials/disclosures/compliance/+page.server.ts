import { codeParam, idParam, oneOf, pageOf, parseList } from '$lib/lists';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import {
	agencyUnits,
	COMPLIANCE_FILTERS,
	compliance,
	filterCells
} from '$lib/server/disclosures/compliance';
import { disclosureAgencies } from '$lib/server/disclosures/permissions';
import type { PageServerLoad } from './$types';

/**
 * Every watched item of every unit, for the officials: what is overdue, due soon, missing,
 * published late. The viewer's own units come first; filters by state, area and type; paged.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const p = parseList(
		{ state: oneOf(COMPLIANCE_FILTERS), unit: idParam, type: codeParam },
		event.url.searchParams
	);
	const filter = { state: p.state ?? null, unitId: p.unit ?? null, type: p.type ?? null };
	const db = await getDb();
	const [c, ownUnits] = await Promise.all([
		compliance(db),
		agencyUnits(db, disclosureAgencies(user))
	]);
	const shown = pageOf(filterCells(c.cells, filter, ownUnits), p.page);
	const unitName = new Map(c.units.map((u) => [u.id, u.name]));
	const type = new Map(c.types.map((t) => [t.code, t]));
	return {
		filter: { ...filter, page: shown.page },
		rows: shown.rows.map((x) => ({
			...x,
			own: ownUnits.includes(x.unitId),
			unit: unitName.get(x.unitId) ?? '',
			typeVi: type.get(x.typeCode)?.vi ?? x.typeCode,
			typeEn: type.get(x.typeCode)?.en ?? x.typeCode
		})),
		total: shown.total,
		pages: shown.pages,
		units: c.units.map((u) => ({ value: String(u.id), label: u.name })),
		types: c.types.map((t) => ({ value: t.code, vi: t.vi, en: t.en }))
	};
};
