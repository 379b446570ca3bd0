import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { exportResponse, formatParam } from '$lib/server/exports/response';
import { planScores } from '$lib/server/plans/dashboard';
import { matrixExport } from '$lib/server/plans/export';
import { planMeasures, planTasks } from '$lib/server/plans/plans';
import { staffPlanFromParam } from '$lib/server/plans/params';
import type { RequestHandler } from './$types';

/** The plan's task matrix as CSV (it imports again) or, with `?format=xlsx`, as a workbook. */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'officials');
	const format = formatParam(event.url);
	const plan = await staffPlanFromParam(event.params.id, user);
	const db = await getDb();
	const reader = await analyticsReader(event.cookies);
	const [tasks, measures, scores] = await Promise.all([
		planTasks(db, plan.id),
		planMeasures(db, plan.instrument_id),
		planScores(reader.db, plan)
	]);
	return exportResponse(matrixExport(tasks, measures, scores.rows), {
		format,
		name: `ke-hoach-${plan.id}`,
		sheet: m.pl_sheet_matrix()
	});
};
