import { getDb } from '$lib/server/db';
import { publicPlans } from '$lib/server/plans/results';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const unit = Number(url.searchParams.get('unit'));
	return {
		plans: await publicPlans(await getDb(), Number.isSafeInteger(unit) && unit > 0 ? unit : null)
	};
};
