import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { readTaskMatrix, type ImportProblem } from '$lib/plans/import';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { readForm } from '$lib/server/forms/parse';
import { planScores } from '$lib/server/plans/dashboard';
import { staffPlanFromParam } from '$lib/server/plans/params';
import {
	importTasks,
	mayManage,
	planMeasures,
	planTasks,
	PlanError,
	setPlanStatus
} from '$lib/server/plans/plans';
import { reportStates } from '$lib/server/plans/reports';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const plan = await staffPlanFromParam(event.params.id, user);
	const db = await getDb();
	// the scores are analytics' published figures; the tasks are this office's own, on the primary
	const reader = await analyticsReader(event.cookies);
	const [tasks, scores, reports, measures] = await Promise.all([
		planTasks(db, plan.id),
		planScores(reader.db, plan),
		reportStates(db, plan),
		planMeasures(db, plan.instrument_id)
	]);
	return {
		plan,
		manage: mayManage(user, plan),
		measures,
		scores,
		lagSeconds: reader.lagSeconds,
		tasks: tasks.map((t) => ({
			...t,
			overdue: (reports.get(t.id) ?? []).filter((r) => r.overdue).map((r) => r.period)
		}))
	};
};

function problemMessage(p: ImportProblem): string {
	const messages: Record<ImportProblem['code'], () => string> = {
		encoding: m.dc_table_encoding,
		parse: m.dc_table_parse,
		empty: m.dc_table_empty,
		no_task_column: m.pl_import_no_task_column,
		no_lead_column: m.pl_import_no_lead_column,
		task_empty: m.pl_import_task_empty,
		lead_unknown: () => m.pl_import_lead_unknown({ value: p.value ?? '' }),
		measure_unknown: () => m.pl_import_measure_unknown({ value: p.value ?? '' }),
		too_long: m.dc_table_cell_too_long,
		too_many_rows: m.dc_table_too_many_rows
	};
	return m.pl_import_line({ line: p.line, problem: messages[p.code]() });
}

export const actions: Actions = {
	status: async (event) => {
		const user = requireArea(event, 'officials');
		const plan = await staffPlanFromParam(event.params.id, user);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const status = form.get('status');
		if (status !== 'draft' && status !== 'active' && status !== 'closed')
			return fail(400, { problems: [m.error_required()] });
		try {
			await setPlanStatus(await getDb(), user, plan.id, status);
		} catch (e) {
			if (e instanceof PlanError) return fail(403, { problems: [m.error_forbidden()] });
			throw e;
		}
		return { statusSaved: true };
	},
	import: async (event) => {
		const user = requireArea(event, 'officials');
		const plan = await staffPlanFromParam(event.params.id, user);
		if (!mayManage(user, plan)) return fail(403, { problems: [m.error_forbidden()] });
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const file = form.get('matrix');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { problems: [m.pl_import_no_file()] });
		if (file.size > 2 * 1024 * 1024)
			return fail(400, { problems: [m.common_error_file_too_large({ name: file.name, max: 2 })] });
		const db = await getDb();
		const [measures, agencyRows] = await Promise.all([
			planMeasures(db, plan.instrument_id),
			db.selectFrom('agency').select(['id', 'name_vi as name', 'slug']).execute()
		]);
		const read = readTaskMatrix(new Uint8Array(await file.arrayBuffer()), measures, agencyRows);
		if ('problems' in read) return fail(400, { problems: read.problems.map(problemMessage) });
		const imported = await importTasks(db, user, plan.id, read.tasks);
		return { imported };
	}
};
