import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { exportSpec } from '$lib/server/surveys/import';
import { versionByNumber } from '$lib/server/surveys/instruments';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireArea(event, 'fieldwork');
	const version = await versionByNumber(
		await getDb(),
		event.params.id,
		event.url.searchParams.get('version')
	);
	if (!version) error(404, { message: m.error_not_found() });
	return new Response(exportSpec(version.spec), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${version.spec.slug}-v${version.version}.json"`
		}
	});
};
