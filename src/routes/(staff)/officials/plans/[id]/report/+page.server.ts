import { currentPeriod, periodsOf } from '$lib/plans/periods';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { planScores } from '$lib/server/plans/dashboard';
import { staffPlanFromParam } from '$lib/server/plans/params';
import { agencyName, planMeasures } from '$lib/server/plans/plans';
import { tasksWithReports } from '$lib/server/plans/results';
import type { PageServerLoad } from './$types';

/** The period's report a department sends upward: tasks, progress and scores, printable on A4. */
export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const plan = await staffPlanFromParam(event.params.id, user);
	const periods = periodsOf(plan.report_frequency, plan.year_from, plan.year_to);
	const asked = event.url.searchParams.get('period');
	const period =
		asked && periods.includes(asked)
			? asked
			: currentPeriod(plan.report_frequency, plan.year_from, plan.year_to, new Date());
	const db = await getDb();
	// the scores are analytics' published figures; the tasks are this office's own, on the primary
	const reader = await analyticsReader(event.cookies);
	const [tasks, measures, scores, agency] = await Promise.all([
		tasksWithReports(db, plan.id, { period }),
		planMeasures(db, plan.instrument_id),
		planScores(reader.db, plan),
		agencyName(db, plan.agency_id)
	]);
	return {
		plan: { id: plan.id, title: plan.title, legalRef: plan.legal_ref },
		agency,
		period,
		periods,
		tasks: tasks.map((t) => ({
			...t,
			measure: measures.find((x) => x.code === t.measureCode) ?? null
		})),
		scores
	};
};
