/**
 * Who may do what to a disclosure: the single statement, read by the disclosure services, the
 * routes and the authorization matrix (e2e/authz). Pure: the staff's grants and the disclosure's
 * agency decide. (Whether the agency serves the disclosure's area is a rule of the data, in
 * area.ts, not of the person.)
 */
import { agenciesFor, staffAgencies, type Staff } from '$lib/auth/access';

export type DisclosureRights = {
	/** write a draft, correct a published version: an official of the responsible agency */
	draft: boolean;
	/** publish, return, withdraw: an approver of the responsible agency */
	approve: boolean;
};

/** Officials of the responsible agency draft; its approvers publish, correct and withdraw. */
export function disclosureRights(staff: Pick<Staff, 'grants'>, agencyId: number): DisclosureRights {
	return {
		draft: agenciesFor(staff.grants, 'official').includes(agencyId),
		approve: agenciesFor(staff.grants, 'approver').includes(agencyId)
	};
}

/** Whether `staff` sees the disclosure (drafts and history): its agency's officials and approvers. */
export function maySeeDisclosure(staff: Pick<Staff, 'grants'>, agencyId: number): boolean {
	const rights = disclosureRights(staff, agencyId);
	return rights.draft || rights.approve;
}

/** The agencies `staff` may start a disclosure for (only officials draft; approvers review). */
export function draftingAgencies(staff: Pick<Staff, 'grants'>): number[] {
	return agenciesFor(staff.grants, 'official');
}

/** The agencies whose disclosures `staff` see listed, drafts included. */
export function disclosureAgencies(staff: Pick<Staff, 'grants'>): number[] {
	return staffAgencies(staff.grants);
}
