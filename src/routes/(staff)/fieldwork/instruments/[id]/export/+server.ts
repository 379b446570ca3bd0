import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { exportSpec } from '$lib/server/surveys/import';
import { getVersion } from '$lib/server/surveys/instruments';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireArea(event, 'fieldwork');
	const db = await getDb();
	const row = await db
		.selectFrom('instrument_version')
		.select('id')
		.where('instrument_id', '=', Number(event.params.id) || 0)
		.where('version', '=', Number(event.url.searchParams.get('version')) || 0)
		.executeTakeFirst();
	const version = row && (await getVersion(db, row.id));
	if (!version) error(404, { message: m.error_not_found() });
	return new Response(exportSpec(version.spec), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${version.spec.slug}-v${version.version}.json"`
		}
	});
};
