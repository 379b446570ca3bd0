import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { disclosureTypes, listDisclosures, PAGE_SIZE } from '$lib/server/disclosures/public';
import { unitsServed } from '$lib/server/reference';
import type { PageServerLoad } from './$types';
import { allowPageCache } from '$lib/server/http/page-cache';

const filterSchema = z.object({
	q: z.string().max(200).catch('').default(''),
	type: z.string().max(60).optional().catch(undefined),
	unit: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
	period: z
		.string()
		.regex(/^\d{4}(-Q[1-4])?$/)
		.optional()
		.catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1)
});

/** A malformed address never fails: each bad parameter falls back to "any". */
export const load: PageServerLoad = async ({ url, locals }) => {
	// the plain list (no filter, first page) is the same for every visitor: a copy serves it
	allowPageCache(locals, null, (other) => (other.search ? null : ''));
	const p = filterSchema.parse(
		Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''))
	);
	const filter = {
		q: p.q,
		type: p.type ?? null,
		unitId: p.unit ?? null,
		period: p.period ?? null,
		page: p.page
	};
	const db = await getDb();
	const [result, types, units] = await Promise.all([
		listDisclosures(db, filter),
		disclosureTypes(db),
		unitsServed(db)
	]);
	return {
		filter,
		...result,
		pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
		types: types.map((t) => ({ value: t.code, vi: t.name_vi, en: t.name_en })),
		units
	};
};
