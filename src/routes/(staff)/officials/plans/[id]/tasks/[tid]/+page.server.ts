import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { currentPeriod, periodsOf } from '$lib/plans/periods';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { echoValues, parseForm, readForm } from '$lib/server/forms/parse';
import { taskFromParams } from '$lib/server/plans/params';
import {
	mayReport,
	planMeasures,
	PlanError,
	reportFiles,
	setTaskStatus
} from '$lib/server/plans/plans';
import { uploadProblemMessage } from '$lib/server/disclosures/messages';
import { DISCLOSURE_LIMITS, MIME } from '$lib/server/files/sniff';
import { defaultFileStore } from '$lib/server/files/store';
import { readUploads } from '$lib/server/files/uploads';
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
		mayReport: mayReport(user, task),
		files,
		reports: states.get(task.id) ?? [],
		periods: periodsOf(plan.report_frequency, plan.year_from, plan.year_to),
		current: currentPeriod(plan.report_frequency, plan.year_from, plan.year_to, new Date())
	};
};

const reportSchema = z.object({
	period: z.string().regex(/^\d{4}(-Q[1-4]|-H[12])?$/, { error: () => m.error_required() }),
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
		.max(2000)
		.default('')
		.refine((v) => v.split(/\r?\n/).every((l) => !l.trim() || /^https?:\/\/\S+$/.test(l.trim())), {
			error: () => m.pl_error_links()
		}),
	internalNote: z.string().trim().max(2000).default('')
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
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(statusSchema, form);
		if ('failure' in parsed) return parsed.failure;
		try {
			await setTaskStatus(await getDb(), user, task.id, parsed.data.status);
		} catch (e) {
			if (e instanceof PlanError)
				return fail(403, { values: {}, errors: {}, message: m.error_forbidden() });
			throw e;
		}
		return { done: true };
	},
	report: async (event) => {
		const user = requireArea(event, 'officials');
		const { task } = await taskFromParams(event.params.id, event.params.tid, user);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(reportSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const uploads = await readUploads(form, 'files', DISCLOSURE_LIMITS);
		if (uploads.problems.length > 0)
			return fail(400, {
				values: echoValues(form),
				errors: {
					files: uploads.problems
						.map((problem) => uploadProblemMessage({ kind: 'file', problem }))
						.join(' ')
				}
			});
		const store = defaultFileStore();
		const files = [];
		for (const f of uploads.files)
			files.push({
				sha256: await store.put(f.bytes),
				name: f.name,
				size: f.size,
				mime: MIME[f.kind]
			});
		try {
			await submitReport(await getDb(), user, task.id, { ...parsed.data, files });
		} catch (e) {
			if (e instanceof PlanError)
				return fail(e.code === 'forbidden' ? 403 : 400, {
					values: echoValues(form),
					errors: {},
					message: e.code === 'forbidden' ? m.error_forbidden() : m.common_error_choice()
				});
			throw e;
		}
		return { done: true };
	}
};
