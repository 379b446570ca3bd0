import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { loaded } from '$lib/server/forms/step';
import { exportSpec } from '$lib/server/surveys/import';
import { askedVersion } from '$lib/server/surveys/instruments';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireArea(event, 'fieldwork');
	const version = await loaded(askedVersion(await getDb(), event));
	return new Response(exportSpec(version.spec), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${version.spec.slug}-v${version.version}.json"`
		}
	});
};
