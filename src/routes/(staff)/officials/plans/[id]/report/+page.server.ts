import { z } from 'zod';
import { vietnamDate } from '$lib/deadlines/working-days';
import { currentPeriod, reportingPeriods } from '$lib/plans/periods';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { asId } from '$lib/server/http/params';
import { planScores } from '$lib/server/plans/dashboard';
import { staffPlanFromParam } from '$lib/server/plans/params';
import { planIssuer, planMeasures } from '$lib/server/plans/plans';
import { tasksWithReports } from '$lib/server/plans/results';
import type { PageServerLoad } from './$types';

/** What the person printing fills in: kept in the address only, never stored. */
const printed = z.object({
	number: z.string().trim().max(60).catch(''),
	signerTitle: z.string().trim().max(120).catch(''),
	signerName: z.string().trim().max(120).catch('')
});

/**
 * The period's report a department sends upward, in the form of an administrative document
 * (Decree 30/2020/NĐ-CP): tasks, progress and the scores of the wave chosen (or the latest with
 * publishable results), printable on A4.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const plan = await staffPlanFromParam(event.params.id, user);
	const now = new Date();
	const periods = reportingPeriods(plan, plan.adopted_on, now);
	const asked = event.url.searchParams.get('period');
	const period =
		asked && periods.includes(asked) ? asked : currentPeriod(plan, plan.adopted_on, now);
	const query = event.url.searchParams;
	const fields = printed.parse({
		number: query.get('number') ?? '',
		signerTitle: query.get('signerTitle') ?? '',
		signerName: query.get('signerName') ?? ''
	});
	const db = await getDb();
	// the scores are analytics' published figures; the tasks are this office's own, on the primary
	const reader = await analyticsReader(event.cookies);
	const [tasks, measures, scores, issuer] = await Promise.all([
		tasksWithReports(db, plan.id, { period }),
		planMeasures(db, plan.instrument_id),
		planScores(reader.db, plan, asId(query.get('wave'))),
		planIssuer(db, plan.agency_id)
	]);
	return {
		plan: { id: plan.id, title: plan.title, legalRef: plan.legal_ref },
		issuer,
		today: vietnamDate(now),
		period,
		periods,
		fields,
		tasks: tasks.map((t) => ({
			...t,
			measure: measures.find((x) => x.code === t.measureCode) ?? null
		})),
		scores
	};
};
