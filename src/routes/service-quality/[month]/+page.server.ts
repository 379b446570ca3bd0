import { getDb } from '$lib/server/db';
import { monthPage } from '$lib/server/service-index/pages';
import type { PageServerLoad } from './$types';

/** One month's Decision 766 figures: frozen once the month is over. */
export const load: PageServerLoad = async ({ params }) => monthPage(await getDb(), params.month);
