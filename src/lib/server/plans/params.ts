import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '../db';
import { idParam } from '../http/params';
import { getPlan, planTasks, PlanError } from './plans';

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

/** The plan and its task named in the address (a task of another plan is 404). */
export async function taskFromParams(planParam: string, taskParam: string) {
	const plan = await planFromParam(planParam);
	const taskId = idParam(taskParam);
	const task = (await planTasks(await getDb(), plan.id)).find((t) => t.id === taskId);
	if (!task) error(404, { message: m.error_not_found() });
	return { plan, task };
}
