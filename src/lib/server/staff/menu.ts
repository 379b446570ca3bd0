/**
 * The staff menu: the places a person may enter, from the same guard that lets them in
 * (auth/guards.ts: a staff area's roles), so the menu never shows a door that answers 403. Pure.
 */
import type { StaffArea } from '$lib/auth/access';
import { mayEnter } from '../auth/guards';
import type { SessionUser } from '../auth/session';

export type StaffMenuItem =
	| 'home'
	| 'questions'
	| 'disclosures'
	| 'compliance'
	| 'plans'
	| 'dossiers'
	| 'letters'
	| 'delays'
	| 'analytics'
	| 'fieldwork'
	| 'admin'
	| 'notifications'
	| 'dossierTokens';

/** Each item's page and the area whose guard opens it ('any': every signed-in staff member). */
export const STAFF_MENU: readonly { item: StaffMenuItem; href: string; area: StaffArea | 'any' }[] =
	[
		{ item: 'home', href: '/staff', area: 'any' },
		{ item: 'questions', href: '/officials/questions', area: 'officials' },
		{ item: 'disclosures', href: '/officials/disclosures', area: 'officials' },
		{ item: 'compliance', href: '/officials/disclosures/compliance', area: 'officials' },
		{ item: 'plans', href: '/officials/plans', area: 'officials' },
		{ item: 'dossiers', href: '/officials/dossiers', area: 'officials' },
		{ item: 'letters', href: '/officials/letters', area: 'officials' },
		{ item: 'delays', href: '/officials/delays', area: 'officials' },
		{ item: 'analytics', href: '/analytics', area: 'analytics' },
		{ item: 'fieldwork', href: '/fieldwork', area: 'fieldwork' },
		{ item: 'admin', href: '/admin', area: 'admin' },
		{ item: 'notifications', href: '/admin/notifications', area: 'admin' },
		{ item: 'dossierTokens', href: '/admin/dossiers', area: 'admin' }
	];

/** The menu of `user`: the items whose area they may enter, in the menu's order. */
export function staffMenu(user: SessionUser): { item: StaffMenuItem; href: string }[] {
	return STAFF_MENU.filter((e) => mayEnter(user, e.area)).map(({ item, href }) => ({ item, href }));
}
