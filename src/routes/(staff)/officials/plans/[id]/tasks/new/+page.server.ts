import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { readTimeline } from '$lib/plans/timeline';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import { managedPlanFromParam, staffPlanFromParam } from '$lib/server/plans/params';
import { addTask, planMeasures } from '$lib/server/plans/plans';
import { agencies } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const plan = await managedPlanFromParam(event.params.id, user);
	const db = await getDb();
	const [measures, agencyList] = await Promise.all([
		planMeasures(db, plan.instrument_id),
		agencies(db)
	]);
	const asked = event.url.searchParams.get('measure');
	return {
		plan: { id: plan.id, title: plan.title },
		measures,
		agencies: agencyList,
		prefill: measures.some((x) => x.code === asked) ? { measure: asked! } : {}
	};
};

const text = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: () => m.common_error_too_long({ max }) })
		.default('');

const taskSchema = z.object({
	measure: z.string().default(''),
	title: z
		.string({ error: () => m.error_required() })
		.trim()
		.min(5, { error: () => m.common_error_too_short({ min: 5 }) })
		.max(2000, { error: () => m.common_error_too_long({ max: 2000 }) }),
	lead: z.coerce
		.number({ error: () => m.error_required() })
		.int()
		.positive({ error: () => m.error_required() }),
	cooperating: text(1000),
	timeline: text(300),
	target: text(1000),
	output: text(1000)
});

export const actions: Actions = {
	default: async (event) => {
		const user = requireArea(event, 'officials');
		const plan = await staffPlanFromParam(event.params.id, user);
		const added = await formStep(event.request, taskSchema, async (d) => {
			const timeline = readTimeline(d.timeline);
			return addTask(await getDb(), user, plan.id, {
				measureCode: d.measure || null,
				title: d.title,
				leadAgencyId: d.lead,
				cooperating: d.cooperating,
				timeline: d.timeline,
				recurrence: timeline.recurrence,
				dueOn: timeline.dueOn,
				target: d.target,
				output: d.output
			});
		});
		if (typeof added !== 'number') return added;
		redirect(303, `/officials/plans/${plan.id}?done=task`);
	}
};
