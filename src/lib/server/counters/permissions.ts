/**
 * Who manages counters and their kiosks: an agency's officials and approvers for the agency's
 * counters, an admin for every agency's. Pure, read by the service, the page and the
 * authorization matrix (e2e/authz).
 */
import { staffAgencies, type Grant } from '$lib/auth/access';

/** The agencies whose counters a staff member manages, or every agency. */
export function counterAgencies(grants: readonly Grant[]): number[] | 'all' {
	if (grants.some((g) => g.role === 'admin')) return 'all';
	return staffAgencies(grants);
}

/** Whether a staff member manages counters at all (opens the page). */
export function mayManageCounters(grants: readonly Grant[]): boolean {
	const scope = counterAgencies(grants);
	return scope === 'all' || scope.length > 0;
}

/** Whether a staff member manages the counters of one agency. */
export function mayManageCounter(grants: readonly Grant[], agencyId: number): boolean {
	const scope = counterAgencies(grants);
	return scope === 'all' || scope.includes(agencyId);
}
