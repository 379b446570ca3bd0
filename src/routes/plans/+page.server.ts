import { getDb } from '$lib/server/db';
import { asId } from '$lib/server/http/params';
import { publicPlans } from '$lib/server/plans/results';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	return {
		plans: await publicPlans(await getDb(), asId(url.searchParams.get('unit')))
	};
};
