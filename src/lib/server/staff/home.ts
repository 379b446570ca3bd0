/**
 * The counts on the staff home: for each role a person holds, how much work waits and where.
 * Each count is scoped like the page it links to, through the feature's permissions.ts, and
 * reuses the feature's own query where one exists (the Q&A workload, the compliance cells, the
 * plan report states, the waves in fieldwork scope).
 */
import { agenciesFor, type Staff } from '$lib/auth/access';
import { vietnamDate } from '$lib/deadlines/working-days';
import type { Db } from '../db';
import { mayEnter } from '../auth/guards';
import type { SessionUser } from '../auth/session';
import { compliance } from '../disclosures/compliance';
import { disclosureAgencies, draftingAgencies } from '../disclosures/permissions';
import { mayReportOnTask } from '../plans/permissions';
import { reportStates } from '../plans/reports';
import { caseAgencies, mayModerate } from '../questions/permissions';
import { agencyWorkload } from '../questions/staff';
import { wavesInScope } from '../surveys/fieldwork';

/** Questions waiting for a moderator (the moderation queue: pending or waiting for detail). */
export async function questionsToModerate(db: Db): Promise<number> {
	const row = await db
		.selectFrom('question')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('status', 'in', ['pending', 'needs_info'])
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * Replies sent to an agency the person approves for, which they may approve (four eyes: not one
 * they wrote or changed).
 */
async function repliesToApprove(db: Db, staff: Pick<Staff, 'grants' | 'id'>): Promise<number> {
	const approving = agenciesFor(staff.grants, 'approver');
	if (approving.length === 0) return 0;
	const row = await db
		.selectFrom('question_reply as r')
		.innerJoin('question as q', 'q.id', 'r.question_id')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('r.status', '=', 'submitted')
		.where('q.status', '=', 'assigned')
		.where('q.agency_id', 'in', approving)
		.where('r.author_id', '!=', staff.id)
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('question_reply_contributor as c')
						.select('c.user_id')
						.whereRef('c.reply_id', '=', 'r.id')
						.where('c.user_id', '=', staff.id)
				)
			)
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * The questions assigned to the person's agencies (the agency queue), those past their legal
 * deadline, and the replies waiting for them as an approver.
 */
export async function questionsForAgencies(
	db: Db,
	staff: Pick<Staff, 'grants' | 'id'>,
	now = new Date()
) {
	const [workload, toApprove] = await Promise.all([
		agencyWorkload(db, caseAgencies(staff), now),
		repliesToApprove(db, staff)
	]);
	return {
		open: workload.reduce((n, w) => n + w.open, 0),
		overdue: workload.reduce((n, w) => n + w.overdue, 0),
		toApprove
	};
}

/**
 * Disclosures of `agencyIds` whose newest version is in `status`, and which `staffId` wrote or
 * changed (`mine`) or did not (four eyes: who wrote or changed a version may not approve it).
 */
async function openVersions(
	db: Db,
	agencyIds: readonly number[],
	status: 'draft' | 'submitted',
	staffId: string,
	mine: boolean
): Promise<number> {
	if (agencyIds.length === 0) return 0;
	const row = await db
		.selectFrom('disclosure as d')
		.innerJoin('disclosure_version as v', 'v.disclosure_id', 'd.id')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('d.agency_id', 'in', [...agencyIds])
		.where('v.status', '=', status)
		.where((eb) =>
			eb(
				'v.number',
				'=',
				eb
					.selectFrom('disclosure_version as w')
					.select((e) => e.fn.max('w.number').as('n'))
					.whereRef('w.disclosure_id', '=', 'd.id')
			)
		)
		.where((eb) => {
			const contributed = eb.or([
				eb('v.author_id', '=', staffId),
				eb.exists(
					eb
						.selectFrom('disclosure_version_contributor as c')
						.select('c.user_id')
						.whereRef('c.version_id', '=', 'v.id')
						.where('c.user_id', '=', staffId)
				)
			]);
			return mine ? contributed : eb.not(contributed);
		})
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Disclosure versions sent to an agency the person approves for, which they may approve. */
export function disclosuresToApprove(db: Db, staff: Staff): Promise<number> {
	return openVersions(db, agenciesFor(staff.grants, 'approver'), 'submitted', staff.id, false);
}

/** Drafts (not yet sent, or sent back) the person wrote or changed, for agencies they draft for. */
export function myDisclosureDrafts(db: Db, staff: Staff): Promise<number> {
	return openVersions(db, draftingAgencies(staff), 'draft', staff.id, true);
}

/**
 * The scheduled disclosures of the person's agencies' own units (a commune's People's Committee
 * for the commune, a provincial department for the province) that fall due soon or are overdue:
 * the compliance cells, as the compliance view computes them.
 */
export async function disclosuresDue(db: Db, staff: Pick<Staff, 'grants'>, now = new Date()) {
	const agencies = disclosureAgencies(staff);
	if (agencies.length === 0) return { dueSoon: 0, overdue: 0 };
	const [units, c] = await Promise.all([
		db.selectFrom('agency').select('unit_id').where('id', 'in', agencies).execute(),
		compliance(db, now)
	]);
	const mine = new Set(units.map((u) => u.unit_id));
	const cells = c.cells.filter((x) => mine.has(x.unitId));
	return {
		dueSoon: cells.filter((x) => x.state === 'due_soon').length,
		overdue: cells.filter((x) => x.state === 'overdue').length
	};
}

export type PlanReportsDue = { id: number; title: string; due: number; overdue: number };

/**
 * For each open plan with a task the person reports on (mayReportOnTask), the reports missing
 * for ended periods: due (the deadline not yet passed) and overdue, as the plan page flags them.
 */
export async function planReportsDue(
	db: Db,
	staff: Pick<Staff, 'grants'>,
	now = new Date()
): Promise<PlanReportsDue[]> {
	const agencies = caseAgencies(staff);
	if (agencies.length === 0) return [];
	const tasks = await db
		.selectFrom('plan_task as t')
		.innerJoin('plan as p', 'p.id', 't.plan_id')
		.select([
			't.id',
			't.lead_agency_id',
			't.status',
			'p.id as planId',
			'p.title',
			'p.report_frequency',
			'p.year_from',
			'p.year_to'
		])
		.where('p.status', '=', 'active')
		.where('t.lead_agency_id', 'in', agencies)
		.orderBy('p.id')
		.execute();
	const today = vietnamDate(now);
	const plans = new Map<number, PlanReportsDue>();
	const states = new Map<number, Awaited<ReturnType<typeof reportStates>>>();
	for (const t of tasks.filter((x) => mayReportOnTask(staff, x))) {
		if (!states.has(t.planId))
			states.set(
				t.planId,
				await reportStates(
					db,
					{
						id: t.planId,
						report_frequency: t.report_frequency,
						year_from: t.year_from,
						year_to: t.year_to
					},
					now
				)
			);
		const row = plans.get(t.planId) ?? { id: t.planId, title: t.title, due: 0, overdue: 0 };
		const closed = t.status === 'done' || t.status === 'cancelled';
		for (const r of states.get(t.planId)!.get(t.id) ?? []) {
			if (r.overdue) row.overdue++;
			// reportStates leaves a closed task's missing report unflagged; so does this
			else if (!r.report && r.due >= today && !closed) row.due++;
		}
		plans.set(t.planId, row);
	}
	return [...plans.values()].filter((p) => p.due + p.overdue > 0);
}

/**
 * The waves the person runs (fieldwork scope): open now, open past their closing day (to close),
 * and drafts not yet opened.
 */
export async function wavesToRun(db: Db, user: SessionUser, now = new Date()) {
	const waves = await wavesInScope(db, user);
	const today = vietnamDate(now);
	const open = waves.filter((w) => w.status === 'open');
	return {
		open: open.length,
		toClose: open.filter((w) => w.closesOn !== null && w.closesOn < today).length,
		drafts: waves.filter((w) => w.status === 'draft').length
	};
}

/** The accounts an administrator manages: active ones and disabled ones. */
export async function accountCounts(db: Db) {
	const row = await db
		.selectFrom('app_user')
		.select((eb) => [
			eb.fn.count<number>('id').filterWhere('disabled_at', 'is', null).as('active'),
			eb.fn.count<number>('id').filterWhere('disabled_at', 'is not', null).as('disabled')
		])
		.executeTakeFirstOrThrow();
	return { active: Number(row.active), disabled: Number(row.disabled) };
}

/** Every count the person's roles call for; a section absent is a role not held. */
export async function staffHome(db: Db, user: SessionUser, now = new Date()) {
	const agencyStaff = caseAgencies(user).length > 0;
	const [moderation, questions, toApprove, drafts, due, plans, waves, accounts] = await Promise.all(
		[
			mayModerate(user) ? questionsToModerate(db) : null,
			agencyStaff ? questionsForAgencies(db, user, now) : null,
			agenciesFor(user.grants, 'approver').length ? disclosuresToApprove(db, user) : null,
			draftingAgencies(user).length ? myDisclosureDrafts(db, user) : null,
			agencyStaff ? disclosuresDue(db, user, now) : null,
			agencyStaff ? planReportsDue(db, user, now) : null,
			mayEnter(user, 'fieldwork') ? wavesToRun(db, user, now) : null,
			mayEnter(user, 'admin') ? accountCounts(db) : null
		]
	);
	return {
		moderation,
		questions,
		disclosures:
			toApprove === null && drafts === null && due === null
				? null
				: { toApprove, drafts, ...(due ?? { dueSoon: 0, overdue: 0 }) },
		plans,
		waves,
		accounts
	};
}
