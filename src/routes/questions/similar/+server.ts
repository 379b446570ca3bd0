import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { similarAnswers } from '$lib/server/questions/public';
import type { RequestHandler } from './$types';

/** Published answers like the text typed on the ask form (public data only). */
export const GET: RequestHandler = async ({ url }) => {
	const q = (url.searchParams.get('q') ?? '').slice(0, 500);
	return json(await similarAnswers(await getDb(), q), {
		headers: { 'cache-control': 'public, max-age=60' }
	});
};
