import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import {
	codeParam,
	flagParam,
	idParam,
	oneOf,
	pageCount,
	parseList,
	searchParam,
	sortParam
} from '$lib/lists';
import { caseAgencies, mayModerate } from '$lib/server/questions/permissions';
import { topics } from '$lib/server/questions/reference';
import { QUEUE_SORTS, queuePage, type QueueView } from '$lib/server/questions/staff';
import { agencies, unitsServed } from '$lib/server/reference';
import type { PageServerLoad } from './$types';

const VIEWS = ['moderation', 'open', 'agency'] as const;

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const moderator = mayModerate(user);
	const agencyIds = caseAgencies(user);
	const views: QueueView[] = [
		...(moderator ? (['moderation', 'open'] as const) : []),
		...(agencyIds.length ? (['agency'] as const) : [])
	];
	const p = parseList(
		{
			view: oneOf(VIEWS),
			q: searchParam,
			agency: idParam,
			topic: codeParam,
			unit: idParam,
			overdue: flagParam,
			sort: sortParam(QUEUE_SORTS)
		},
		event.url.searchParams
	);
	const view = p.view && views.includes(p.view) ? p.view : views[0]!;
	const filter = {
		q: p.q,
		agencyId: p.agency ?? null,
		topic: p.topic ?? null,
		unitId: p.unit ?? null,
		overdue: p.overdue,
		sort: p.sort,
		page: p.page
	};
	const db = await getDb();
	const [result, topicList, units, agencyList] = await Promise.all([
		queuePage(db, view, agencyIds, filter),
		topics(db),
		unitsServed(db),
		agencies(db)
	]);
	return {
		views,
		view,
		filter,
		cases: result.rows,
		total: result.total,
		pages: pageCount(result.total),
		topics: topicList,
		units,
		// an official's own list offers only the agencies it holds
		agencies:
			view === 'agency' ? agencyList.filter((a) => agencyIds.includes(Number(a.value))) : agencyList
	};
};
