import type { Staff } from '$lib/auth/access';
import { getDb } from '../db';
import { loaded } from '../forms/step';
import { idParam } from '../http/params';
import { managedPlan, publicPlan, staffPlan, staffTask } from './plans';

export { idParam };

/** The plan named in the address for a staff member: 404 if there is none, 403 if a draft of others. */
export async function staffPlanFromParam(param: string, staff: Staff) {
	return loaded(staffPlan(await getDb(), staff, idParam(param)));
}

/** The plan and its task named in the address, for a staff member (a task of another plan is 404). */
export async function taskFromParams(planParam: string, taskParam: string, staff: Staff) {
	return loaded(staffTask(await getDb(), staff, idParam(planParam), idParam(taskParam)));
}

/** The plan named in the address, for a staff member of its owning agency (others: 403). */
export async function managedPlanFromParam(param: string, staff: Staff) {
	return loaded(managedPlan(await getDb(), staff, idParam(param)));
}

/** The plan named in the address as the public sees it: a draft is not found. */
export async function publicPlanFromParam(param: string) {
	return loaded(publicPlan(await getDb(), idParam(param)));
}
