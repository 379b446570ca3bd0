import { pageCount, parseList } from '$lib/lists';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import {
	COUNT_DAYS,
	deadLetterRef,
	deadLetters,
	deliveryCounts,
	retryDeadLetter
} from '$lib/server/notify/dead-letters';
import { MAX_ATTEMPTS } from '$lib/server/notify/worker';
import type { Actions, PageServerLoad } from './$types';

/** What the outbox did in the last 30 days, and the dead letters an administrator may retry. */
export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	const { page } = parseList({}, event.url.searchParams);
	const db = await getDb();
	const [counts, dead] = await Promise.all([deliveryCounts(db), deadLetters(db, page)]);
	return {
		days: COUNT_DAYS,
		maxAttempts: MAX_ATTEMPTS,
		counts,
		page,
		pages: pageCount(dead.total),
		total: dead.total,
		dead: dead.rows.map((d) => ({
			...d,
			createdAt: d.createdAt.toISOString(),
			deadAt: d.deadAt?.toISOString() ?? null
		}))
	};
};

export const actions: Actions = {
	retry: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, deadLetterRef, async ({ id }) => {
			await retryDeadLetter(await getDb(), actor.id, id);
			return { done: m.notify_admin_retried() };
		});
	}
};
