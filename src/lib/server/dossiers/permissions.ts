/**
 * Who may bring dossier records in: an official or approver of the one-stop shop's agency, for
 * that agency; an admin, for any agency. Only an admin makes or revokes an agency's API token.
 * Pure: the staff's grants decide.
 */
import { hasAnyRole, staffAgencies, type Staff } from '$lib/auth/access';

export function isAdmin(staff: Pick<Staff, 'grants'>): boolean {
	return hasAnyRole(staff.grants, ['admin']);
}

/** The agencies whose dossiers `staff` may import: 'all' for an admin. */
export function dossierAgencies(staff: Pick<Staff, 'grants'>): number[] | 'all' {
	return isAdmin(staff) ? 'all' : staffAgencies(staff.grants);
}

export function mayImportDossiers(staff: Pick<Staff, 'grants'>, agencyId: number): boolean {
	const agencies = dossierAgencies(staff);
	return agencies === 'all' || agencies.includes(agencyId);
}

export function mayManageTokens(staff: Pick<Staff, 'grants'>): boolean {
	return isAdmin(staff);
}
