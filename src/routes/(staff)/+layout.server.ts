import { requireArea, staffAreaOf } from '$lib/server/auth/guards';
import { staffMenu } from '$lib/server/staff/menu';
import type { LayoutServerLoad } from './$types';

// Reading route.id makes this load run again on every navigation to another staff route.
export const load: LayoutServerLoad = (event) => {
	const user = requireArea(event, staffAreaOf(event.route.id) ?? 'any');
	return { staffMenu: staffMenu(user) };
};
