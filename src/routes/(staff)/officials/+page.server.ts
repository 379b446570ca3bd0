import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const grants = await describeGrants(
		await getDb(),
		user.grants.filter((g) => g.role === 'official' || g.role === 'moderator')
	);
	return { grants };
};
