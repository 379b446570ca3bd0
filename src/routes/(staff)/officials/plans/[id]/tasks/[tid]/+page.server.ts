import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { formatPeriod } from '$lib/i18n/format';
import { taskStatusName } from '$lib/plans/labels';
import { currentPeriod, reportingPeriods } from '$lib/plans/periods';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import { evidenceFiles } from '$lib/server/plans/evidence';
import { taskFromParams } from '$lib/server/plans/params';
import { mayReportOnTask } from '$lib/server/plans/permissions';
import { planMeasures, reportFiles, setTaskStatus } from '$lib/server/plans/plans';
import { reportStates, submitReport } from '$lib/server/plans/reports';
import { planScores } from '$lib/server/plans/dashboard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const { plan, task } = await taskFromParams(event.params.id, event.params.tid, user);
	const db = await getDb();
	const [states, measures, scores, files] = await Promise.all([
		reportStates(db, plan),
		planMeasures(db, plan.instrument_id),
		planScores(db, plan),
		reportFiles(db, task.id)
	]);
	return {
		plan: { id: plan.id, title: plan.title },
		task,
		measure: measures.find((x) => x.code === task.measure_code) ?? null,
		// whether the task's sub-dimension moved between the last two waves
		score: scores.rows.find((r) => r.code === task.measure_code) ?? null,
		mayReport: mayReportOnTask(user, task),
		files,
		reports: states.get(task.id) ?? [],
		// the periods it reports on, from its adoption; the form starts on the current one
		periods: reportingPeriods(plan, task.adopted_on, new Date()),
		current: currentPeriod(plan, task.adopted_on, new Date())
	};
};

const reportSchema = z.object({
	period: z
		.string({ error: () => m.pl_error_period() })
		.regex(/^\d{4}(-Q[1-4]|-H[12])?$/, { error: () => m.pl_error_period() }),
	percent: z.coerce
		.number({ error: () => m.pl_error_percent() })
		.int({ error: () => m.pl_error_percent() })
		.min(0, { error: () => m.pl_error_percent() })
		.max(100, { error: () => m.pl_error_percent() }),
	progress: z
		.string({ error: () => m.error_required() })
		.trim()
		.min(5, { error: () => m.common_error_too_short({ min: 5 }) })
		.max(5000, { error: () => m.common_error_too_long({ max: 5000 }) }),
	links: z
		.string()
		.trim()
		.max(2000, { error: () => m.common_error_too_long({ max: 2000 }) })
		.default('')
		.refine((v) => v.split(/\r?\n/).every((l) => !l.trim() || /^https?:\/\/\S+$/.test(l.trim())), {
			error: () => m.pl_error_links()
		}),
	internalNote: z
		.string()
		.trim()
		.max(2000, { error: () => m.common_error_too_long({ max: 2000 }) })
		.default('')
});

const statusSchema = z.object({
	status: z.enum(['not_started', 'in_progress', 'done', 'cancelled'], {
		error: () => m.error_required()
	})
});

export const actions: Actions = {
	status: async (event) => {
		const user = requireArea(event, 'officials');
		const { task } = await taskFromParams(event.params.id, event.params.tid, user);
		return formStep(event.request, statusSchema, async ({ status }) => {
			await setTaskStatus(await getDb(), user, task.id, status);
			return { done: m.pl_done_task_status({ status: taskStatusName(status) }) };
		});
	},
	report: async (event) => {
		const user = requireArea(event, 'officials');
		const { task } = await taskFromParams(event.params.id, event.params.tid, user);
		const files = evidenceFiles();
		return formStep(
			event.request,
			reportSchema,
			async (r) => {
				await submitReport(await getDb(), user, task.id, { ...r, files: files.stored() });
				return { done: m.pl_done_reported({ period: formatPeriod(r.period) }) };
			},
			{ check: files.check }
		);
	}
};
