import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { versionByNumber } from '$lib/server/surveys/instruments';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'fieldwork');
	const version = await versionByNumber(
		await getDb(),
		event.params.id,
		event.url.searchParams.get('version')
	);
	if (!version) error(404, { message: m.error_not_found() });
	return { spec: version.spec, version: version.version };
};
