import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { AREA_ROLES, hasAnyRole, type StaffArea } from '$lib/auth/access';
import { m } from '$lib/paraglide/messages';
import type { SessionUser } from './session';

/** Staff routes live under src/routes/(staff)/<area>; the route id names the area. */
export function staffAreaOf(routeId: string | null): StaffArea | 'any' | null {
	const match = routeId?.match(/^\/\(staff\)\/([^/]+)/);
	if (!match) return null;
	const area = match[1];
	return area in AREA_ROLES ? (area as StaffArea) : 'any';
}

export function signInUrl(url: URL): string {
	return `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`;
}

type GuardEvent = Pick<RequestEvent, 'locals' | 'url'>;

/** The signed-in staff member, or a redirect to sign-in that comes back here. */
export function requireUser(event: GuardEvent): SessionUser {
	if (!event.locals.user) redirect(303, signInUrl(event.url));
	return event.locals.user;
}

export function mayEnter(user: SessionUser, area: StaffArea | 'any'): boolean {
	return area === 'any' || hasAnyRole(user.grants, AREA_ROLES[area]);
}

/** The signed-in staff member if a role opens `area`, else 403 naming the roles needed. */
export function requireArea(event: GuardEvent, area: StaffArea | 'any'): SessionUser {
	const user = requireUser(event);
	if (!mayEnter(user, area)) {
		error(403, {
			message: m.error_forbidden(),
			missingRoles: area === 'any' ? [] : [...AREA_ROLES[area]]
		});
	}
	return user;
}
