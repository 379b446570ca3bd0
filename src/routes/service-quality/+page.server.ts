import { getDb } from '$lib/server/db';
import { currentPage } from '$lib/server/service-index/pages';
import type { PageServerLoad } from './$types';

/** The Decision 766 figures of the month in progress and the archive of closed months. */
export const load: PageServerLoad = async () => currentPage(await getDb());
