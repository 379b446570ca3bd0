import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { formStep } from '$lib/server/forms/step';
import { planScores } from '$lib/server/plans/dashboard';
import { importMatrix } from '$lib/server/plans/matrix';
import { staffPlanFromParam } from '$lib/server/plans/params';
import { asId } from '$lib/server/http/params';
import { mayChangePlanStatus, mayManagePlan } from '$lib/server/plans/permissions';
import { planMeasures, planTasks, setPlanStatus } from '$lib/server/plans/plans';
import { reportStates } from '$lib/server/plans/reports';
import type { Actions, PageServerLoad } from './$types';

/** What the plan's page says after a step that led here from another page. */
const ARRIVED: Record<string, () => string> = {
	created: m.pl_done_created,
	task: m.pl_done_task_added
};

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const plan = await staffPlanFromParam(event.params.id, user);
	const db = await getDb();
	// the scores are analytics' published figures; the tasks are this office's own, on the primary
	const reader = await analyticsReader(event.cookies);
	const [tasks, scores, reports, measures] = await Promise.all([
		planTasks(db, plan.id),
		planScores(reader.db, plan, asId(event.url.searchParams.get('wave'))),
		reportStates(db, plan),
		planMeasures(db, plan.instrument_id)
	]);
	return {
		plan,
		arrived: ARRIVED[event.url.searchParams.get('done') ?? '']?.(),
		manage: mayManagePlan(user, plan),
		// the statuses this person may move the plan to (a draft goes public by an approver)
		statuses: (['draft', 'active', 'closed'] as const).filter(
			(s) => s === plan.status || mayChangePlanStatus(user, plan, s)
		),
		measures,
		scores,
		lagSeconds: reader.lagSeconds,
		tasks: tasks.map((t) => ({
			...t,
			overdue: (reports.get(t.id) ?? []).filter((r) => r.overdue).map((r) => r.period)
		}))
	};
};

const STATUS_DONE = {
	draft: m.pl_done_draft,
	active: m.pl_done_active,
	closed: m.pl_done_closed
} as const;

const statusSchema = z.object({
	status: z.enum(['draft', 'active', 'closed'], { error: () => m.error_required() })
});

export const actions: Actions = {
	status: async (event) => {
		const user = requireArea(event, 'officials');
		const plan = await staffPlanFromParam(event.params.id, user);
		return formStep(event.request, statusSchema, async ({ status }) => {
			await setPlanStatus(await getDb(), user, plan.id, status);
			return {
				done:
					plan.status === 'draft' && status !== 'draft'
						? m.pl_done_adopted()
						: STATUS_DONE[status]()
			};
		});
	},
	import: async (event) => {
		const user = requireArea(event, 'officials');
		const plan = await staffPlanFromParam(event.params.id, user);
		return formStep(event.request, z.object({}), async (_, form) => {
			const count = await importMatrix(await getDb(), user, plan, form.get('matrix'));
			return { done: m.pl_imported({ count }) };
		});
	}
};
