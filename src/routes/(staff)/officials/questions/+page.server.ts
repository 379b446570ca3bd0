import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { caseAgencies, mayModerate } from '$lib/server/questions/permissions';
import { caseQueue, type QueueView } from '$lib/server/questions/staff';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const moderator = mayModerate(user);
	const agencyIds = caseAgencies(user);
	const views: QueueView[] = [
		...(moderator ? (['moderation', 'open'] as const) : []),
		...(agencyIds.length ? (['agency'] as const) : [])
	];
	const asked = event.url.searchParams.get('view') as QueueView | null;
	const view = asked && views.includes(asked) ? asked : views[0]!;
	return { views, view, cases: await caseQueue(await getDb(), view, agencyIds) };
};
