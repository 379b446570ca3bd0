import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { disclosureAgencies, draftingAgencies } from '$lib/server/disclosures/permissions';
import { agencyDisclosures } from '$lib/server/disclosures/staff';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const agencyIds = disclosureAgencies(user);
	return {
		// only officials draft; an approver reviews what they submit
		mayCreate: draftingAgencies(user).length > 0,
		items: await agencyDisclosures(await getDb(), agencyIds)
	};
};
