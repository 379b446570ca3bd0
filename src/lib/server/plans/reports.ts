import type { Staff } from '$lib/auth/access';
import { vietnamDate } from '$lib/deadlines/working-days';
import {
	endedPeriods,
	periodsOf,
	reportDue,
	reportingPeriods,
	type PlanPeriods
} from '$lib/plans/periods';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { deadlineRule, loadCalendar } from '../deadlines/calendar';
import { rememberFiles } from '../files/records';
import { mayReportOnTask } from './permissions';
import { refuse } from './refusals';

export type ReportInput = {
	period: string;
	percent: number;
	progress: string;
	links: string;
	internalNote: string;
	files: readonly { sha256: string; name: string; size: number; mime: string }[];
};

/**
 * The lead agency reports on its task for a period (a second report for it replaces the first):
 * one of the task's reporting periods, from its adoption to the plan's end.
 */
export async function submitReport(
	db: Db,
	staff: Staff,
	taskId: number,
	r: ReportInput,
	now = new Date()
) {
	await inTransaction(db, async (trx) => {
		const task = await trx
			.selectFrom('plan_task as t')
			.innerJoin('plan as p', 'p.id', 't.plan_id')
			.select([
				't.id',
				't.lead_agency_id',
				't.status',
				't.adopted_on',
				'p.report_frequency',
				'p.year_from',
				'p.year_to'
			])
			.where('t.id', '=', taskId)
			.forUpdate()
			.executeTakeFirst();
		if (!task) throw refuse('not_found');
		if (!mayReportOnTask(staff, task)) throw refuse('forbidden');
		if (!reportingPeriods(task, task.adopted_on, now).includes(r.period))
			throw refuse('bad_choice', 'period');
		const { id } = await trx
			.insertInto('plan_report')
			.values({
				task_id: taskId,
				period: r.period,
				percent: r.percent,
				progress: r.progress,
				links: r.links,
				internal_note: r.internalNote,
				submitted_by: staff.id
			})
			.onConflict((oc) =>
				oc.columns(['task_id', 'period']).doUpdateSet({
					percent: r.percent,
					progress: r.progress,
					links: r.links,
					internal_note: r.internalNote,
					submitted_by: staff.id,
					submitted_at: new Date()
				})
			)
			.returning('id')
			.executeTakeFirstOrThrow();
		if (r.files.length) {
			await rememberFiles(trx, r.files);
			await trx
				.insertInto('plan_report_file')
				.values(r.files.map((f) => ({ report_id: id, sha256: f.sha256, name: f.name })))
				.execute();
		}
		const status =
			r.percent >= 100 ? 'done' : task.status === 'not_started' ? 'in_progress' : task.status;
		await trx.updateTable('plan_task').set({ status }).where('id', '=', taskId).execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'plan.report',
			entityType: 'plan_task',
			entityId: taskId,
			details: { period: r.period, percent: r.percent }
		});
	});
}

export type ReportState = {
	period: string;
	due: string;
	report: { percent: number; progress: string; links: string; submittedAt: Date } | null;
	overdue: boolean;
};

/**
 * Each task's reports over the periods that have ended since it was adopted (and any other
 * period it has reported on, such as the current one), newest first, with their due
 * dates from the working-day engine; a missing report past its due date is overdue (unless the
 * task is done or cancelled). Nothing is owed for a period before the adoption, nor by a draft.
 */
export async function reportStates(
	db: Db,
	plan: PlanPeriods & { id: number },
	now = new Date()
): Promise<Map<number, ReportState[]>> {
	const [rule, calendar, reports, tasks] = await Promise.all([
		deadlineRule(db, 'plan_report'),
		loadCalendar(db),
		db
			.selectFrom('plan_report as r')
			.innerJoin('plan_task as t', 't.id', 'r.task_id')
			.select(['r.task_id', 'r.period', 'r.percent', 'r.progress', 'r.links', 'r.submitted_at'])
			.where('t.plan_id', '=', plan.id)
			.execute(),
		db
			.selectFrom('plan_task')
			.select(['id', 'status', 'adopted_on'])
			.where('plan_id', '=', plan.id)
			.execute()
	]);
	const today = vietnamDate(now);
	const days = rule?.working_days ?? 10;
	const byTask = new Map<number, ReportState[]>();
	for (const t of tasks) {
		const closed = t.status === 'done' || t.status === 'cancelled';
		// a task of a draft never adopted owes nothing yet; a period reported on before it ends
		// (the current one) is listed with its report
		const owed = t.adopted_on === null ? [] : endedPeriods(plan, t.adopted_on, now);
		const reported = reports.filter((x) => x.task_id === t.id).map((x) => x.period);
		const periods = periodsOf(plan.report_frequency, plan.year_from, plan.year_to)
			.filter((p) => owed.includes(p) || reported.includes(p))
			.reverse();
		byTask.set(
			t.id,
			periods.map((period) => {
				const r = reports.find((x) => x.task_id === t.id && x.period === period);
				const due = reportDue(period, days, calendar);
				return {
					period,
					due,
					report: r
						? {
								percent: r.percent,
								progress: r.progress,
								links: r.links,
								submittedAt: r.submitted_at
							}
						: null,
					overdue: !r && !closed && today > due
				};
			})
		);
	}
	return byTask;
}
