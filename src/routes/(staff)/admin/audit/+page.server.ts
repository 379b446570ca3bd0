import { NAMED_ACTIONS } from '$lib/audit-actions';
import { codeParam, dateParam, pageCount, parseList, searchParam } from '$lib/lists';
import { auditPage } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { EVENT_KINDS } from '$lib/server/questions/events';
import type { PageServerLoad } from './$types';

/** The whole audit log for administrators: filtered by action, actor and dates, a page at a time. */
export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	const p = parseList(
		{ action: codeParam, actor: searchParam, from: dateParam, to: dateParam },
		event.url.searchParams
	);
	const filter = {
		action: p.action ?? null,
		actor: p.actor,
		from: p.from ?? null,
		to: p.to ?? null,
		page: p.page
	};
	const result = await auditPage(await getDb(), filter);
	return {
		filter,
		entries: result.rows.map((r) => ({ ...r, at: r.at.toISOString() })),
		total: result.total,
		pages: pageCount(result.total),
		actions: [...NAMED_ACTIONS, ...Object.keys(EVENT_KINDS).map((k) => `question.${k}`)]
	};
};
