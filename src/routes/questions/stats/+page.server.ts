import { getDb } from '$lib/server/db';
import { questionStats } from '$lib/server/questions/stats';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ agencies: await questionStats(await getDb()) });
