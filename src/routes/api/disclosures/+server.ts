import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { openDataList } from '$lib/server/disclosures/open-data';
import type { RequestHandler } from './$types';

/** Open data: published and withdrawn disclosures, newest first, 20 a page (see the README). */
export const GET: RequestHandler = async ({ url }) => {
	const page = Math.min(
		10_000,
		Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1') || 1)
	);
	const doc = await openDataList(await getDb(), url.origin, {
		q: '',
		type: null,
		unitId: null,
		period: null,
		page
	});
	return json(doc, {
		headers: { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' }
	});
};
