import { sql } from 'kysely';
import type { Db } from '../db';

/**
 * Each task of a plan with its report for one period (or, without a period, its latest report).
 * The internal note is never read here: this feeds the public page and the printed report.
 */
export async function tasksWithReports(
	db: Db,
	planId: number,
	options: { period?: string; publicOnly?: boolean } = {}
) {
	const tasks = await db
		.selectFrom('plan_task as t')
		.innerJoin('agency as a', 'a.id', 't.lead_agency_id')
		.select([
			't.id',
			't.number',
			't.measure_code as measureCode',
			't.title',
			't.cooperating',
			't.timeline',
			't.target',
			't.status',
			'a.name_vi as leadVi',
			'a.name_en as leadEn'
		])
		.where('t.plan_id', '=', planId)
		.$if(!!options.publicOnly, (q) => q.where('t.public', '=', true))
		.orderBy('t.id')
		.execute();
	const reports = tasks.length
		? await db
				.selectFrom('plan_report')
				.select(['task_id', 'period', 'percent', 'progress', 'links', 'submitted_at'])
				.where(
					'task_id',
					'in',
					tasks.map((t) => t.id)
				)
				.$if(!!options.period, (q) => q.where('period', '=', options.period!))
				.orderBy('submitted_at', 'desc')
				.execute()
		: [];
	return tasks.map((t) => {
		const r = reports.find((x) => x.task_id === t.id);
		return {
			...t,
			report: r
				? {
						period: r.period,
						percent: r.percent,
						progress: r.progress,
						links: r.links.split(/\r?\n/).filter((l) => /^https?:\/\//.test(l.trim())),
						submittedAt: r.submitted_at
					}
				: null
		};
	});
}

/** Plans the public may read: active or closed ones (a draft is still being written). */
export async function publicPlans(db: Db, unitId: number | null) {
	return db
		.selectFrom('plan as p')
		.innerJoin('admin_unit as u', 'u.id', 'p.unit_id')
		.innerJoin('agency as a', 'a.id', 'p.agency_id')
		.select([
			'p.id',
			'p.title',
			'p.year_from as yearFrom',
			'p.year_to as yearTo',
			'p.legal_ref as legalRef',
			'u.id as unitId',
			'u.name as unit',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn'
		])
		.where('p.status', '<>', 'draft')
		.$if(unitId !== null, (q) => q.where('p.unit_id', '=', unitId!))
		.orderBy('p.year_from', 'desc')
		.execute();
}

/** Public plans and when their page last changed: created, or a public task's latest report. */
export async function publicPlanDates(db: Db, limit: number) {
	return db
		.selectFrom('plan as p')
		.leftJoin('plan_task as t', (join) =>
			join.onRef('t.plan_id', '=', 'p.id').on('t.public', '=', true)
		)
		.leftJoin('plan_report as r', 'r.task_id', 't.id')
		.select(['p.id', sql<Date>`greatest(p.created_at, max(r.submitted_at))`.as('changedAt')])
		.where('p.status', '<>', 'draft')
		.groupBy('p.id')
		.orderBy('p.id', 'desc')
		.limit(limit)
		.execute();
}
