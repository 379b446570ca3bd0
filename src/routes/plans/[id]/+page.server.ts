import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { publicPlanFromParam } from '$lib/server/plans/params';
import { planScores } from '$lib/server/plans/dashboard';
import { planMeasures, unitName } from '$lib/server/plans/plans';
import { tasksWithReports } from '$lib/server/plans/results';
import type { PageServerLoad } from './$types';

/**
 * "You asked, we acted": a plan's public tasks, their status and latest results, each with the
 * score that motivated it (its measure in the latest wave with publishable results, hidden as
 * analytics hide it).
 */
export const load: PageServerLoad = async ({ params }) => {
	const plan = await publicPlanFromParam(params.id);
	const db = await getDb();
	const [found, measures, unit, scores] = await Promise.all([
		tasksWithReports(db, plan.id, { publicOnly: true }),
		planMeasures(db, plan.instrument_id),
		unitName(db, plan.unit_id),
		planScores(db, plan)
	]);
	const tasks = found.map((t) => {
		const row = scores.rows.find((r) => r.code === t.measureCode);
		return {
			...t,
			score: row
				? {
						measure: { number: row.number, title: row.title },
						latest: row.latest,
						range: row.range,
						suppressed: row.suppressed,
						reason: row.reason
					}
				: null
		};
	});
	return {
		plan: {
			title: plan.title,
			unit,
			yearFrom: plan.year_from,
			yearTo: plan.year_to,
			legalRef: plan.legal_ref
		},
		wave: scores.wave ? { title: scores.wave.title } : null,
		groups: [
			...measures
				.filter((x) => !x.number.includes('.'))
				.map((d) => ({
					key: d.code,
					title: `${d.number}. ${d.title}`,
					tasks: tasks.filter((t) => {
						const own = measures.find((x) => x.code === t.measureCode);
						return own && (own.code === d.code || own.number.startsWith(`${d.number}.`));
					})
				})),
			{ key: '', title: m.pl_general_tasks(), tasks: tasks.filter((t) => !t.measureCode) }
		].filter((g) => g.tasks.length > 0)
	};
};
