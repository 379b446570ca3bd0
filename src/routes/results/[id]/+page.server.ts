import { getDb } from '$lib/server/db';
import { loaded } from '$lib/server/forms/step';
import { publicResults } from '$lib/server/results/public';
import type { PageServerLoad } from './$types';

/** A closed wave's published results, the whole wave only; 404 for any other wave. */
export const load: PageServerLoad = async ({ params }) => ({
	results: await loaded(publicResults(await getDb(), params.id))
});
