/**
 * Who may do what to an action plan and its tasks: the single statement, read by the plan
 * services, the routes and the authorization matrix (e2e/authz). Pure: the staff's grants, the
 * plan's agency and status and its tasks' lead agencies decide (plans.ts loads those).
 */
import { agenciesFor, hasAnyRole, staffAgencies, type Staff } from '$lib/auth/access';

type Who = Pick<Staff, 'grants'>;
type PlanStatus = 'draft' | 'active' | 'closed';

/** Staff (officials or approvers) of the owning agency manage the plan: edit, import, open, close. */
export function mayManagePlan(staff: Who, plan: { agency_id: number }): boolean {
	return staffAgencies(staff.grants).includes(plan.agency_id);
}

/**
 * Who may move a plan to `to`. Making a draft public (open or closed: both are read by the
 * public) is its adoption: an approver of the owning agency who did not write it (four eyes,
 * as for disclosures). Closing an open plan, reopening a closed one or taking one back to draft:
 * the staff who manage it.
 */
export function mayChangePlanStatus(
	staff: Pick<Staff, 'grants' | 'id'>,
	plan: { agency_id: number; status: PlanStatus; created_by?: string | null },
	to: PlanStatus
): boolean {
	if (plan.status === 'draft' && to !== 'draft') return mayAdoptPlan(staff, plan);
	return mayManagePlan(staff, plan);
}

/** An approver of the owning agency, not the plan's author, makes a draft public. */
export function mayAdoptPlan(
	staff: Pick<Staff, 'grants' | 'id'>,
	plan: { agency_id: number; created_by?: string | null }
): boolean {
	return (
		agenciesFor(staff.grants, 'approver').includes(plan.agency_id) && plan.created_by !== staff.id
	);
}

/** Staff of a task's lead agency report on it and set its status. */
export function mayReportOnTask(staff: Who, task: { lead_agency_id: number }): boolean {
	return staffAgencies(staff.grants).includes(task.lead_agency_id);
}

/**
 * A draft is not yet anyone's business but the agencies that will carry it: the owner and the
 * lead agencies of its tasks (`leads`), and the administrator. An open or closed plan is read by
 * all staff.
 */
export function mayReadPlan(
	staff: Who,
	plan: { agency_id: number; status: string },
	leads: readonly number[]
): boolean {
	if (plan.status !== 'draft' || mayManagePlan(staff, plan) || hasAnyRole(staff.grants, ['admin']))
		return true;
	const agencies = staffAgencies(staff.grants);
	return leads.some((a) => agencies.includes(a));
}

/**
 * Which plans a list shows `staff` (mayReadPlan, as a filter): every one for the administrator;
 * otherwise the open and closed ones and the drafts owned or led by `agencies`.
 */
export function planListScope(staff: Who): { everything: boolean; agencies: number[] } {
	return {
		everything: hasAnyRole(staff.grants, ['admin']),
		agencies: staffAgencies(staff.grants)
	};
}

/** The agencies `staff` may make a plan for (mayManagePlan of a plan they would own). */
export function planningAgencies(staff: Who): number[] {
	return staffAgencies(staff.grants);
}
