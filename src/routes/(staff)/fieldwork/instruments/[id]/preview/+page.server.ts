import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { getVersion } from '$lib/server/surveys/instruments';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
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
	return { spec: version.spec, version: version.version };
};
