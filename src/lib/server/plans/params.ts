import { error } from '@sveltejs/kit';
import type { Staff } from '$lib/auth/access';
import { m } from '$lib/paraglide/messages';
import { getDb } from '../db';
import { idParam } from '../http/params';
import { getPlan, mayRead, planTasks, PlanError } from './plans';

export { idParam };

/** The plan named in the address, or 404. */
export async function planFromParam(param: string) {
	try {
		return await getPlan(await getDb(), idParam(param));
	} catch (e) {
		if (e instanceof PlanError) error(404, { message: m.error_not_found() });
		throw e;
	}
}

/** The plan named in the address for a staff member: 404 if there is none, 403 if a draft of others. */
export async function staffPlanFromParam(param: string, staff: Staff) {
	const plan = await planFromParam(param);
	if (!(await mayRead(await getDb(), staff, plan))) error(403, { message: m.error_forbidden() });
	return plan;
}

/** The plan and its task named in the address, for a staff member (a task of another plan is 404). */
export async function taskFromParams(planParam: string, taskParam: string, staff: Staff) {
	const plan = await staffPlanFromParam(planParam, staff);
	const taskId = idParam(taskParam);
	const task = (await planTasks(await getDb(), plan.id)).find((t) => t.id === taskId);
	if (!task) error(404, { message: m.error_not_found() });
	return { plan, task };
}
