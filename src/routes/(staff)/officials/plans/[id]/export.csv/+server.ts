import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { matrixCsv } from '$lib/server/plans/export';
import { planMeasures, planTasks } from '$lib/server/plans/plans';
import { staffPlanFromParam } from '$lib/server/plans/params';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'officials');
	const plan = await staffPlanFromParam(event.params.id, user);
	const db = await getDb();
	const [tasks, measures] = await Promise.all([
		planTasks(db, plan.id),
		planMeasures(db, plan.instrument_id)
	]);
	return new Response(matrixCsv(tasks, measures), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="ke-hoach-${plan.id}.csv"`
		}
	});
};
