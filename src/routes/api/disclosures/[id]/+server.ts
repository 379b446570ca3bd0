import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { asId } from '$lib/server/http/params';
import { openDataItem } from '$lib/server/disclosures/open-data';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const id = asId(params.id);
	const doc = id === null ? undefined : await openDataItem(await getDb(), url.origin, id);
	if (!doc) error(404, { message: m.error_not_found() });
	return json(doc, {
		headers: { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' }
	});
};
