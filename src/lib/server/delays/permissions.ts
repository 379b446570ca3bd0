/**
 * Who prepares an agency's monthly delay list: the officials of that agency, who draft its
 * disclosures (the list becomes a draft disclosure); its approvers then review and publish it
 * through the disclosures' own four eyes, never the preparer. Pure: the staff's grants decide.
 */
import type { Staff } from '$lib/auth/access';
import { disclosureRights, draftingAgencies } from '../disclosures/permissions';

/** The agencies whose delay list `staff` may preview and prepare. */
export function delayListAgencies(staff: Pick<Staff, 'grants'>): number[] {
	return draftingAgencies(staff);
}

export function mayPrepareDelayList(staff: Pick<Staff, 'grants'>, agencyId: number): boolean {
	return disclosureRights(staff, agencyId).draft;
}
