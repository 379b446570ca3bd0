import { AGENCY_ROLES } from '$lib/auth/access';
import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { getDb } from '$lib/server/db';
import { caseAgencies } from '$lib/server/questions/permissions';
import { agencyWorkload } from '$lib/server/questions/staff';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const agencyIds = caseAgencies(user);
	const [grants, workload] = await Promise.all([
		describeGrants(
			db,
			user.grants.filter((g) => AGENCY_ROLES.includes(g.role) || g.role === 'moderator')
		),
		agencyWorkload(db, agencyIds)
	]);
	return { grants, workload, hasAgency: agencyIds.length > 0 };
};
