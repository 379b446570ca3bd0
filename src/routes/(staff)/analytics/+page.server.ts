import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { analyticsReader } from '$lib/server/db/read';
import { visibleWaves } from '$lib/server/analytics/waves';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'analytics');
	const { db, lagSeconds } = await analyticsReader(event.cookies);
	return {
		lagSeconds,
		grants: await describeGrants(
			db,
			user.grants.filter((g) => g.role === 'analyst')
		),
		waves: await visibleWaves(db, user)
	};
};
