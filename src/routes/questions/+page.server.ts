import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { listQuestions, PAGE_SIZE, type ListFilter } from '$lib/server/questions/public';
import { agencies, unitsServed } from '$lib/server/reference';
import { topics } from '$lib/server/questions/reference';
import type { PageServerLoad } from './$types';
import { allowPageCache } from '$lib/server/http/page-cache';

const id = z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined);
const filterSchema = z.object({
	q: z.string().max(200).catch('').default(''),
	topic: z.string().max(40).optional().catch(undefined),
	unit: id,
	agency: id,
	state: z.enum(['answered', 'waiting']).optional().catch(undefined),
	sort: z.enum(['recent', 'answered', 'relevance']).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1)
});

/** A malformed address never fails: each bad parameter falls back to "any". */
export const load: PageServerLoad = async ({ url, locals }) => {
	// the plain list (no filter, first page) is the same for every visitor: a copy serves it
	allowPageCache(locals, null, (other) => (other.search ? null : ''));
	const raw = Object.fromEntries(
		[...url.searchParams].filter(([, v]) => v !== '').map(([k, v]) => [k, v])
	);
	const p = filterSchema.parse(raw);
	const filter: ListFilter = {
		q: p.q,
		topic: p.topic ?? null,
		unitId: p.unit ?? null,
		agencyId: p.agency ?? null,
		state: p.state ?? null,
		// with a keyword the best match comes first; without one the newest
		sort: p.sort ?? (p.q.trim() ? 'relevance' : 'recent'),
		page: p.page
	};
	const db = await getDb();
	const [result, topicList, units, agencyList] = await Promise.all([
		listQuestions(db, filter),
		topics(db),
		unitsServed(db),
		agencies(db)
	]);
	return {
		filter,
		/** the order asked for in the address; none: best match with a keyword, else newest */
		sortAsked: p.sort ?? null,
		...result,
		pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
		topics: topicList,
		units,
		agencies: agencyList
	};
};
