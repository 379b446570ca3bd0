import { getDb } from '$lib/server/db';
import { deploymentOverview } from '$lib/server/units/deployment';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	overview: await deploymentOverview(await getDb())
});
