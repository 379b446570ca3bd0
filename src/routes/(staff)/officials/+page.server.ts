import { agenciesFor, AGENCY_ROLES } from '$lib/auth/access';
import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { getDb } from '$lib/server/db';
import { agencyWorkload } from '$lib/server/questions/staff';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const agencyIds = [...new Set(AGENCY_ROLES.flatMap((r) => agenciesFor(user.grants, r)))];
	const [grants, workload] = await Promise.all([
		describeGrants(
			db,
			user.grants.filter((g) => AGENCY_ROLES.includes(g.role) || g.role === 'moderator')
		),
		agencyWorkload(db, agencyIds)
	]);
	return { grants, workload, hasAgency: agencyIds.length > 0 };
};
