import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { disclosureAgencies, draftingAgencies } from '$lib/server/disclosures/permissions';
import { disclosureTypes } from '$lib/server/disclosures/public';
import { agencyDisclosures, STAFF_STATUSES } from '$lib/server/disclosures/staff';
import { codeParam, idParam, oneOf, pageCount, parseList, searchParam } from '$lib/lists';
import { unitsServed } from '$lib/server/reference';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const agencyIds = disclosureAgencies(user);
	const p = parseList(
		{ q: searchParam, type: codeParam, unit: idParam, status: oneOf(STAFF_STATUSES) },
		event.url.searchParams
	);
	const filter = {
		q: p.q,
		type: p.type ?? null,
		unitId: p.unit ?? null,
		status: p.status ?? null,
		page: p.page
	};
	const db = await getDb();
	const [result, types, units] = await Promise.all([
		agencyDisclosures(db, agencyIds, filter),
		disclosureTypes(db),
		unitsServed(db)
	]);
	return {
		// only officials draft; an approver reviews what they submit
		mayCreate: draftingAgencies(user).length > 0,
		filter,
		items: result.rows,
		total: result.total,
		pages: pageCount(result.total),
		types: types.map((t) => ({ value: t.code, vi: t.name_vi, en: t.name_en })),
		units
	};
};
