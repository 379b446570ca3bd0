import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { publicPlanFromParam } from '$lib/server/plans/params';
import { planMeasures, unitName } from '$lib/server/plans/plans';
import { tasksWithReports } from '$lib/server/plans/results';
import type { PageServerLoad } from './$types';

/** "You asked, we acted": a plan's public tasks, their status and latest results. */
export const load: PageServerLoad = async ({ params }) => {
	const plan = await publicPlanFromParam(params.id);
	const db = await getDb();
	const [tasks, measures, unit] = await Promise.all([
		tasksWithReports(db, plan.id, { publicOnly: true }),
		planMeasures(db, plan.instrument_id),
		unitName(db, plan.unit_id)
	]);
	return {
		plan: {
			title: plan.title,
			unit,
			yearFrom: plan.year_from,
			yearTo: plan.year_to,
			legalRef: plan.legal_ref
		},
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
