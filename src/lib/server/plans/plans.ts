import type { Staff } from '$lib/auth/access';
import { resultOrder } from '$lib/analytics/order';
import { measuresOf } from '$lib/analytics/scoring';
import type { ImportedTask, MeasureRef } from '$lib/plans/import';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import type { PlanStatus, PlanTable, TaskStatus } from '../db/schema';
import { latestPublished } from '../surveys/instruments';
import { vietnamDate } from '$lib/deadlines/working-days';
import {
	mayChangePlanStatus,
	mayManagePlan,
	mayReadPlan,
	mayReportOnTask,
	planListScope
} from './permissions';
import { refuse } from './refusals';

/** The lead agencies of a plan's tasks (who, besides its owner, may read it as a draft). */
export async function taskLeads(db: Db, planId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('plan_task')
		.select('lead_agency_id')
		.distinct()
		.where('plan_id', '=', planId)
		.execute();
	return rows.map((r) => r.lead_agency_id);
}

/** Whether `staff` may read the plan (mayReadPlan), its tasks' leads loaded when it is a draft. */
async function mayRead(
	db: Db,
	staff: Staff,
	plan: { id: number; agency_id: number; status: string }
) {
	const leads = plan.status === 'draft' ? await taskLeads(db, plan.id) : [];
	return mayReadPlan(staff, plan, leads);
}

/** The plans `staff` may read (mayReadPlan, as planListScope), newest first. */
export async function listPlans(db: Db, staff: Staff) {
	const { everything, agencies } = planListScope(staff);
	return db
		.selectFrom('plan as p')
		.innerJoin('agency as a', 'a.id', 'p.agency_id')
		.innerJoin('admin_unit as u', 'u.id', 'p.unit_id')
		.innerJoin('instrument as i', 'i.id', 'p.instrument_id')
		.select([
			'p.id',
			'p.title',
			'p.year_from as yearFrom',
			'p.year_to as yearTo',
			'p.status',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn',
			'u.name as unit',
			'i.slug as instrument',
			(eb) =>
				eb
					.selectFrom('plan_task as t')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('t.plan_id', '=', 'p.id')
					.as('tasks')
		])
		.$if(!everything, (q) =>
			q.where((eb) =>
				eb.or([
					eb('p.status', '!=', 'draft'),
					...(agencies.length
						? [
								eb('p.agency_id', 'in', agencies),
								eb.exists(
									eb
										.selectFrom('plan_task as t')
										.select('t.id')
										.whereRef('t.plan_id', '=', 'p.id')
										.where('t.lead_agency_id', 'in', agencies)
								)
							]
						: [])
				])
			)
		)
		.orderBy('p.year_from', 'desc')
		.orderBy('p.id', 'desc')
		.execute();
}

export async function getPlan(db: Db, id: number) {
	const plan = await db.selectFrom('plan').selectAll().where('id', '=', id).executeTakeFirst();
	if (!plan) throw refuse('not_found');
	return plan;
}

/** A plan the owner has opened (or closed): a draft is nobody's business but its agencies'. */
export async function publicPlan(db: Db, id: number) {
	const plan = await getPlan(db, id);
	if (plan.status === 'draft') throw refuse('not_found');
	return plan;
}

/** A plan for a staff member: refused as not found, or forbidden when a draft of others. */
export async function staffPlan(db: Db, staff: Staff, id: number) {
	const plan = await getPlan(db, id);
	if (!(await mayRead(db, staff, plan))) throw refuse('forbidden');
	return plan;
}

/** A plan for a staff member of its owning agency, who may change it. */
export async function managedPlan(db: Db, staff: Staff, id: number) {
	const plan = await getPlan(db, id);
	if (!mayManagePlan(staff, plan)) throw refuse('forbidden');
	return plan;
}

/** A task of the plan, for a staff member who may read the plan (a task of another plan: not found). */
export async function staffTask(db: Db, staff: Staff, planId: number, taskId: number) {
	const plan = await staffPlan(db, staff, planId);
	const task = (await planTasks(db, plan.id)).find((t) => t.id === taskId);
	if (!task) throw refuse('not_found');
	return { plan, task };
}

/** The survey instruments a plan can follow (not the "other" kind), in their order. */
export async function planInstruments(db: Db) {
	const rows = await db
		.selectFrom('instrument')
		.select(['id', 'slug', 'kind'])
		.orderBy('id')
		.execute();
	return rows.filter((i) => i.kind !== 'other');
}

/**
 * Who issues a plan's printed report (Decree 30: the issuing agency under the agency it answers
 * to) and where: the owner's name, its parent agency (or, for a department without one, the
 * People's Committee of its area), and the province its area belongs to. In Vietnamese.
 */
export async function planIssuer(
	db: Db,
	agencyId: number
): Promise<{ agency: string; parent: string | null; province: string }> {
	const agency = await db
		.selectFrom('agency as a')
		.leftJoin('agency as p', 'p.id', 'a.parent_agency_id')
		.innerJoin('admin_unit as u', 'u.id', 'a.unit_id')
		.leftJoin('admin_unit as up', 'up.id', 'u.parent_id')
		.select([
			'a.name_vi as name',
			'a.kind',
			'a.unit_id as unitId',
			'p.name_vi as parent',
			'u.level',
			'u.name as unit',
			'up.level as upLevel',
			'up.name as upName'
		])
		.where('a.id', '=', agencyId)
		.executeTakeFirstOrThrow();
	const committee =
		agency.parent === null && !agency.kind.endsWith('_committee')
			? await db
					.selectFrom('agency')
					.select('name_vi')
					.where('unit_id', '=', agency.unitId)
					.where('kind', 'in', ['province_committee', 'commune_committee'])
					.orderBy('id')
					.executeTakeFirst()
			: undefined;
	return {
		agency: agency.name,
		parent: agency.parent ?? committee?.name_vi ?? null,
		// a commune's province is its parent (two tiers since 2025); an older district's, further up
		province:
			agency.level === 'province'
				? agency.unit
				: agency.upLevel === 'province'
					? agency.upName!
					: agency.unit
	};
}

/** The name of an administrative unit (the area a plan covers). */
export async function unitName(db: Db, id: number): Promise<string> {
	const row = await db
		.selectFrom('admin_unit')
		.select('name')
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	return row.name;
}

/**
 * The sections and parts of the plan's instrument that carry a score, numbered as the seeds
 * number them (dimension 2 is "2", its second sub-dimension "2.2").
 */
export async function planMeasures(db: Db, instrumentId: number): Promise<MeasureRef[]> {
	const instrument = await db
		.selectFrom('instrument')
		.select('slug')
		.where('id', '=', instrumentId)
		.executeTakeFirst();
	const version = instrument ? await latestPublished(db, instrument.slug) : undefined;
	if (!version) return [];
	return resultOrder(version.spec, measuresOf(version.spec))
		.filter((r) => r.measure.level !== 'total')
		.map((r) => ({ code: r.measure.code, number: r.number, title: r.measure.title.vi }));
}

export type NewPlan = Pick<
	PlanTable,
	'title' | 'unit_id' | 'agency_id' | 'instrument_id' | 'year_from' | 'year_to' | 'report_frequency'
> & { legal_ref: string; weak_below: number };

/** A new plan is a draft of its agency, public once an approver adopts it (setPlanStatus). */
export async function createPlan(db: Db, staff: Staff, plan: NewPlan): Promise<number> {
	if (!mayManagePlan(staff, plan)) throw refuse('forbidden');
	return inTransaction(db, async (trx) => {
		const [unit, instrument] = await Promise.all([
			trx.selectFrom('admin_unit').select('id').where('id', '=', plan.unit_id).executeTakeFirst(),
			trx
				.selectFrom('instrument')
				.select('id')
				.where('id', '=', plan.instrument_id)
				.executeTakeFirst()
		]);
		if (!unit) throw refuse('bad_choice', 'unit');
		if (!instrument) throw refuse('bad_choice', 'instrument');
		const { id } = await trx
			.insertInto('plan')
			.values({ ...plan, status: 'draft', created_by: staff.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorId: staff.id,
			action: 'plan.create',
			entityType: 'plan',
			entityId: id
		});
		return id;
	});
}

/** Adds a whole imported matrix in one transaction: all of it or nothing. */
export async function importTasks(
	db: Db,
	staff: Staff,
	planId: number,
	tasks: readonly ImportedTask[]
): Promise<number> {
	return inTransaction(db, async (trx) => {
		const plan = await getPlan(trx, planId);
		if (!mayManagePlan(staff, plan)) throw refuse('forbidden');
		if (tasks.length > 0)
			await trx
				.insertInto('plan_task')
				.values(
					tasks.map((t) => ({
						plan_id: planId,
						number: t.number,
						measure_code: t.measureCode,
						title: t.title,
						lead_agency_id: t.leadAgencyId,
						cooperating: t.cooperating,
						timeline: t.timeline,
						recurrence: t.recurrence,
						due_on: t.dueOn,
						target: t.target,
						output: t.output,
						status: 'not_started' as const,
						adopted_on: plan.adopted_on ? vietnamDate(new Date()) : null
					}))
				)
				.execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'plan.import',
			entityType: 'plan',
			entityId: planId,
			details: { tasks: tasks.length }
		});
		return tasks.length;
	});
}

export type NewTask = Omit<ImportedTask, 'line' | 'number'>;

export async function addTask(db: Db, staff: Staff, planId: number, task: NewTask) {
	return inTransaction(db, async (trx) => {
		const plan = await getPlan(trx, planId);
		if (!mayManagePlan(staff, plan)) throw refuse('forbidden');
		const measures = await planMeasures(trx, plan.instrument_id);
		if (task.measureCode && !measures.some((m) => m.code === task.measureCode))
			throw refuse('bad_choice', 'measure');
		const agency = await trx
			.selectFrom('agency')
			.select('id')
			.where('id', '=', task.leadAgencyId)
			.executeTakeFirst();
		if (!agency) throw refuse('bad_choice', 'lead');
		const { id } = await trx
			.insertInto('plan_task')
			.values({
				plan_id: planId,
				measure_code: task.measureCode,
				title: task.title,
				lead_agency_id: task.leadAgencyId,
				cooperating: task.cooperating,
				timeline: task.timeline,
				recurrence: task.recurrence,
				due_on: task.dueOn,
				target: task.target,
				output: task.output,
				status: 'not_started',
				// added to a plan already adopted: its duties start today
				adopted_on: plan.adopted_on ? vietnamDate(new Date()) : null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorId: staff.id,
			action: 'plan.task_add',
			entityType: 'plan_task',
			entityId: id
		});
		return id;
	});
}

export async function planTasks(db: Db, planId: number) {
	return db
		.selectFrom('plan_task as t')
		.innerJoin('agency as a', 'a.id', 't.lead_agency_id')
		.selectAll('t')
		.select(['a.name_vi as leadVi', 'a.name_en as leadEn', 'a.slug as leadSlug'])
		.where('t.plan_id', '=', planId)
		.orderBy('t.id')
		.execute();
}

export async function setTaskStatus(db: Db, staff: Staff, taskId: number, status: TaskStatus) {
	await inTransaction(db, async (trx) => {
		const task = await trx
			.selectFrom('plan_task')
			.select(['id', 'lead_agency_id', 'plan_id'])
			.where('id', '=', taskId)
			.forUpdate()
			.executeTakeFirst();
		if (!task) throw refuse('not_found');
		if (!mayReportOnTask(staff, task)) throw refuse('forbidden');
		await trx.updateTable('plan_task').set({ status }).where('id', '=', taskId).execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'plan.task_status',
			entityType: 'plan_task',
			entityId: taskId,
			details: { status }
		});
	});
}

/**
 * A plan's status changes (mayChangePlanStatus). The first time a draft is made public it is
 * adopted: the day is recorded, and the tasks it has start their duties with that day's period
 * (a task added later, with the day it is added).
 */
export async function setPlanStatus(
	db: Db,
	staff: Staff,
	planId: number,
	status: PlanStatus,
	now = new Date()
) {
	await inTransaction(db, async (trx) => {
		const plan = await trx
			.selectFrom('plan')
			.selectAll()
			.where('id', '=', planId)
			.forUpdate()
			.executeTakeFirst();
		if (!plan) throw refuse('not_found');
		if (!mayChangePlanStatus(staff, plan, status)) throw refuse('forbidden');
		if (plan.status === status) throw refuse('state');
		const adopting = status !== 'draft' && plan.adopted_on === null;
		const adoptedOn = adopting ? vietnamDate(now) : plan.adopted_on;
		await trx
			.updateTable('plan')
			.set(adopting ? { status, adopted_on: adoptedOn, adopted_by: staff.id } : { status })
			.where('id', '=', planId)
			.execute();
		if (adopting)
			await trx
				.updateTable('plan_task')
				.set({ adopted_on: adoptedOn })
				.where('plan_id', '=', planId)
				.where('adopted_on', 'is', null)
				.execute();
		await audit(trx, {
			actorId: staff.id,
			action: adopting ? 'plan.adopt' : 'plan.status',
			entityType: 'plan',
			entityId: planId,
			details: adopting ? { status, adoptedOn } : { status }
		});
	});
}

/** The evidence files of a task's reports, newest first. */
export async function reportFiles(db: Db, taskId: number) {
	return db
		.selectFrom('plan_report_file as f')
		.innerJoin('plan_report as r', 'r.id', 'f.report_id')
		.innerJoin('stored_file as s', 's.sha256', 'f.sha256')
		.select(['f.id', 'f.name', 'f.sha256', 's.size', 's.mime', 'r.period'])
		.where('r.task_id', '=', taskId)
		.orderBy('f.id', 'desc')
		.execute();
}
