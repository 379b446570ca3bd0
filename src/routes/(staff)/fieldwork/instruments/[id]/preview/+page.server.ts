import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { loaded } from '$lib/server/forms/step';
import { askedVersion } from '$lib/server/surveys/instruments';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'fieldwork');
	const version = await loaded(askedVersion(await getDb(), event));
	return { spec: version.spec, version: version.version };
};
