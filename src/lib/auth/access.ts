/**
 * Who may enter which staff area. Pure, shared by the server guards and the navigation. What a
 * person may then do to one object is decided by each feature's permissions.ts (see README.md).
 */

export type Role = (typeof ROLES)[number];
export const ROLES = [
	'official',
	'approver',
	'moderator',
	'analyst',
	'admin',
	'interviewer',
	'microdata'
] as const;

export type Grant = { role: Role; agencyId: number | null; unitId: number | null };

/** A signed-in staff member as the services see them. */
export type Staff = { id: string; grants: readonly Grant[] };

export type StaffArea = 'officials' | 'fieldwork' | 'analytics' | 'admin';

// Least privilege: an admin manages accounts but reads analytics only with an analyst grant too.
export const AREA_ROLES: Record<StaffArea, readonly Role[]> = {
	officials: ['official', 'approver', 'moderator'],
	// questionnaires and survey waves: analysts (within their units) and admins
	fieldwork: ['analyst', 'admin'],
	analytics: ['analyst'],
	admin: ['admin']
};

export const AREA_PATHS: Record<StaffArea, `/${string}`> = {
	officials: '/officials',
	fieldwork: '/fieldwork',
	analytics: '/analytics',
	admin: '/admin'
};

export function hasAnyRole(grants: readonly Grant[], roles: readonly Role[]): boolean {
	return grants.some((g) => roles.includes(g.role));
}

export function areasFor(grants: readonly Grant[]): StaffArea[] {
	return (Object.keys(AREA_ROLES) as StaffArea[]).filter((area) =>
		hasAnyRole(grants, AREA_ROLES[area])
	);
}

/** Roles held for one agency (an official drafts its replies, an approver publishes them). */
export const AGENCY_ROLES: readonly Role[] = ['official', 'approver'];

/** The agencies a grant of `role` lets this person act for. */
export function agenciesFor(grants: readonly Grant[], role: Role): number[] {
	return grants
		.filter((g) => g.role === role && g.agencyId !== null)
		.map((g) => g.agencyId as number);
}

/** Every agency this person acts for, as an official or an approver. */
export function staffAgencies(grants: readonly Grant[]): number[] {
	return [...new Set(AGENCY_ROLES.flatMap((r) => agenciesFor(grants, r)))];
}

/** The units an analyst may see (each with everything below it), or 'all'. */
export function analystUnits(grants: readonly Grant[]): number[] | 'all' {
	const analyst = grants.filter((g) => g.role === 'analyst');
	if (analyst.some((g) => g.unitId === null)) return 'all';
	return analyst.map((g) => g.unitId as number);
}
