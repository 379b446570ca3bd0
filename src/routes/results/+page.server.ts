import { getDb } from '$lib/server/db';
import { publicResultWaves } from '$lib/server/results/public';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	waves: await publicResultWaves(await getDb())
});
