import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { getDb } from '$lib/server/db';
import { visibleWaves } from '$lib/server/analytics/waves';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'analytics');
	const db = await getDb();
	return {
		grants: await describeGrants(
			db,
			user.grants.filter((g) => g.role === 'analyst')
		),
		waves: await visibleWaves(db, user)
	};
};
