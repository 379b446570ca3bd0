import { agenciesFor } from '$lib/auth/access';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { agencyDisclosures, staffAgencyIds } from '$lib/server/disclosures/staff';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const agencyIds = staffAgencyIds(user);
	return {
		// only officials draft; an approver reviews what they submit
		mayCreate: agenciesFor(user.grants, 'official').length > 0,
		items: await agencyDisclosures(await getDb(), agencyIds)
	};
};
