/**
 * The staff's reminders that no step causes: a question's deadline in one working day or passed,
 * a disclosure due within DUE_SOON_DAYS or overdue, a plan report due or overdue, and the daily
 * digest. Every server runs the scan on its own timer; each reminder's dedupe key (recipient and
 * due date in it) makes it written once however many scans find it.
 */
import { AGENCY_ROLES, type Grant } from '$lib/auth/access';
import { addDays, addWorkingDays, vietnamDate } from '$lib/deadlines/working-days';
import { DUE_SOON_DAYS } from '$lib/disclosures/schedule';
import { formatDate } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { sql } from 'kysely';
import type { Db } from '../db';
import { loadGrants } from '../auth/session';
import { loadCalendar } from '../deadlines/calendar';
import { compliance } from '../disclosures/compliance';
import { reportStates } from '../plans/reports';
import { day } from '../questions/clock';
import { staffHome } from '../staff/home';
import { publicUrl } from './links';
import { notify } from './outbox';
import { defineKind } from './render';

/** The hour of the day in Vietnam (UTC+7, no summer time). */
export const vietnamHour = (at: Date): number => (at.getUTCHours() + 7) % 24;

/**
 * The enabled accounts in 'immediate' mode holding an agency role (official or approver) for
 * each agency: those whose staff home counts the agency's work.
 */
async function immediateByAgency(db: Db): Promise<Map<number, string[]>> {
	const rows = await db
		.selectFrom('user_role as r')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select(['r.agency_id', 'u.id'])
		.distinct()
		.where('r.role', 'in', [...AGENCY_ROLES])
		.where('r.agency_id', 'is not', null)
		.where('u.disabled_at', 'is', null)
		.where('u.notify_mode', '=', 'immediate')
		.orderBy('u.id')
		.execute();
	const byAgency = new Map<number, string[]>();
	for (const r of rows) byAgency.set(r.agency_id!, [...(byAgency.get(r.agency_id!) ?? []), r.id]);
	return byAgency;
}

/**
 * How long after its deadline an overdue item is still announced. The scan announces each on
 * its first pass past the deadline; older ones are items from before the portal sent anything
 * (a first start would otherwise mail every item late over the past year) or from a long stop.
 * The staff home and the digest count them all.
 */
export const OVERDUE_NOTICE_DAYS = 7;

/** Assigned questions due within one working day (today included) or past their deadline. */
async function questionReminders(db: Db, staff: Map<number, string[]>, now: Date) {
	const today = vietnamDate(now);
	const since = addDays(today, -OVERDUE_NOTICE_DAYS);
	const tomorrow = addWorkingDays(today, 1, await loadCalendar(db));
	const cases = await db
		.selectFrom('question')
		.select(['id', 'agency_id', 'due_on'])
		.where('status', '=', 'assigned')
		.where('due_on', 'is not', null)
		.where('due_on', '<=', tomorrow)
		.where('due_on', '>=', since)
		.execute();
	for (const q of cases) {
		const due = day(q.due_on!);
		const overdue = due < today;
		for (const userId of staff.get(q.agency_id!) ?? [])
			await notify(db, {
				userId,
				kind: overdue ? 'staff.question_overdue' : 'staff.question_due',
				params: { questionId: q.id, agencyId: q.agency_id, dueOn: due },
				dedupeKey: `${overdue ? 'overdue' : 'due1'}:q:${q.id}:${userId}:${due}`
			});
	}
}

/** How many days ahead a disclosure's due date is announced (the staff home counts 30). */
export const DISCLOSURE_NOTICE_DAYS = 7;

/**
 * The compliance cells due within DISCLOSURE_NOTICE_DAYS or overdue, to the staff of the
 * agencies of each cell's unit (as the staff home counts them: disclosuresDue).
 */
async function disclosureReminders(db: Db, staff: Map<number, string[]>, now: Date) {
	const soon = addDays(vietnamDate(now), DISCLOSURE_NOTICE_DAYS);
	const since = addDays(vietnamDate(now), -OVERDUE_NOTICE_DAYS);
	const [cells, agencies] = await Promise.all([
		compliance(db, now).then((c) =>
			c.cells.filter(
				(x) =>
					x.due &&
					((x.state === 'overdue' && x.due >= since) || (x.state === 'due_soon' && x.due <= soon))
			)
		),
		db.selectFrom('agency').select(['id', 'unit_id']).execute()
	]);
	for (const cell of cells) {
		const users = new Set(
			agencies.filter((a) => a.unit_id === cell.unitId).flatMap((a) => staff.get(a.id) ?? [])
		);
		const overdue = cell.state === 'overdue';
		for (const userId of users)
			await notify(db, {
				userId,
				kind: overdue ? 'staff.disclosure_overdue' : 'staff.disclosure_due',
				params: {
					unitId: cell.unitId,
					typeCode: cell.typeCode,
					period: cell.period,
					due: cell.due
				},
				dedupeKey: `${overdue ? 'dover' : 'dsoon'}:${cell.unitId}:${cell.typeCode}:${cell.period}:${userId}`
			});
	}
}

/** Reports of open plans' tasks owed and not made: due, then overdue, to the lead agency's staff. */
async function reportReminders(db: Db, staff: Map<number, string[]>, now: Date) {
	const today = vietnamDate(now);
	const since = addDays(today, -OVERDUE_NOTICE_DAYS);
	const plans = await db
		.selectFrom('plan')
		.select(['id', 'report_frequency', 'year_from', 'year_to'])
		.where('status', '=', 'active')
		.execute();
	for (const plan of plans) {
		const [states, tasks] = await Promise.all([
			reportStates(db, plan, now),
			db
				.selectFrom('plan_task')
				.select(['id', 'lead_agency_id', 'status'])
				.where('plan_id', '=', plan.id)
				.execute()
		]);
		for (const t of tasks) {
			const closed = t.status === 'done' || t.status === 'cancelled';
			for (const r of states.get(t.id) ?? []) {
				// as the staff home counts them (planReportsDue)
				const state =
					r.overdue && r.due >= since
						? 'over'
						: !r.report && r.due >= today && !closed
							? 'due'
							: null;
				if (!state) continue;
				for (const userId of staff.get(t.lead_agency_id) ?? [])
					await notify(db, {
						userId,
						kind: state === 'over' ? 'staff.report_overdue' : 'staff.report_due',
						params: { planId: plan.id, taskId: t.id, period: r.period, due: r.due },
						dedupeKey: `r${state}:${t.id}:${r.period}:${userId}`
					});
			}
		}
	}
}

// ---- the daily digest ----

/** The staff home's labels, by the names a digest keeps. */
const LABELS = {
	staff_home_to_moderate: m.staff_home_to_moderate,
	staff_home_to_answer: m.staff_home_to_answer,
	staff_home_answers_overdue: m.staff_home_answers_overdue,
	staff_home_replies_to_approve: m.staff_home_replies_to_approve,
	staff_home_disclosures_to_approve: m.staff_home_disclosures_to_approve,
	staff_home_my_drafts: m.staff_home_my_drafts,
	staff_home_disclosures_due_soon: m.staff_home_disclosures_due_soon,
	staff_home_disclosures_overdue: m.staff_home_disclosures_overdue,
	staff_home_waves_open: m.staff_home_waves_open,
	staff_home_waves_to_close: m.staff_home_waves_to_close,
	staff_home_waves_drafts: m.staff_home_waves_drafts
} as const;

type Count = { label: keyof typeof LABELS; n: number };
type Digest = {
	date: string;
	counts: Count[];
	plans: { title: string; due: number; overdue: number }[];
};

/**
 * What the digest says: the staff home's counts (staffHome, so the two agree) as the page shows
 * them (replies to approve only to approvers), less the administrator's account totals, which
 * are not work waiting. Labels are message keys.
 */
export function digestOf(
	work: Awaited<ReturnType<typeof staffHome>>,
	grants: readonly Grant[],
	date: string
): Digest {
	const counts: Count[] = [];
	const add = (label: keyof typeof LABELS, n: number | null | undefined) => {
		if (n !== null && n !== undefined) counts.push({ label, n });
	};
	add('staff_home_to_moderate', work.moderation);
	add('staff_home_to_answer', work.questions?.open);
	add('staff_home_answers_overdue', work.questions?.overdue);
	if (grants.some((g) => g.role === 'approver'))
		add('staff_home_replies_to_approve', work.questions?.toApprove);
	add('staff_home_disclosures_to_approve', work.disclosures?.toApprove);
	add('staff_home_my_drafts', work.disclosures?.drafts);
	add('staff_home_disclosures_due_soon', work.disclosures?.dueSoon);
	add('staff_home_disclosures_overdue', work.disclosures?.overdue);
	add('staff_home_waves_open', work.waves?.open);
	add('staff_home_waves_to_close', work.waves?.toClose);
	add('staff_home_waves_drafts', work.waves?.drafts);
	const plans = (work.plans ?? []).map((p) => ({ title: p.title, due: p.due, overdue: p.overdue }));
	return { date, counts, plans };
}

/**
 * For each enabled account in 'digest' mode whose hour (Vietnam time) it is and that has not
 * had today's digest: one message with its counts. Nothing when every count is zero: a daily
 * "nothing to do" would teach people to ignore the mail that matters.
 */
export async function digests(db: Db, now: Date): Promise<void> {
	const date = vietnamDate(now);
	const people = await db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.email', 'u.display_name'])
		.where('u.disabled_at', 'is', null)
		.where('u.notify_mode', '=', 'digest')
		.where('u.digest_hour', '=', vietnamHour(now))
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('notification as n')
						.select('n.id')
						.where(sql<boolean>`n.dedupe_key = 'digest:' || u.id || ${`:${date}`}`)
				)
			)
		)
		.execute();
	for (const p of people) {
		const grants = await loadGrants(db, p.id);
		if (grants.length === 0) continue;
		const work = await staffHome(
			db,
			{ id: p.id, email: p.email, displayName: p.display_name, grants },
			now
		);
		const digest = digestOf(work, grants, date);
		const total =
			digest.counts.reduce((n, c) => n + c.n, 0) +
			digest.plans.reduce((n, x) => n + x.due + x.overdue, 0);
		if (total === 0) continue;
		await notify(db, {
			userId: p.id,
			kind: 'staff.digest',
			params: digest,
			dedupeKey: `digest:${p.id}:${date}`
		});
	}
}

defineKind('staff.digest', async (_db, n, lang) => {
	const d = n.params as Digest;
	const locale = { locale: lang };
	const days = { days: DUE_SOON_DAYS };
	return {
		subject: m.notify_staff_digest_subject({ date: formatDate(d.date) }, locale),
		lines: [
			m.notify_staff_digest_intro({ date: formatDate(d.date) }, locale),
			...d.counts.map((c) => `${LABELS[c.label](days, locale)}: ${c.n}`),
			...d.plans.map((p) =>
				m.notify_staff_digest_plan({ plan: p.title, due: p.due, overdue: p.overdue }, locale)
			)
		],
		link: { href: publicUrl('/staff'), label: m.notify_staff_open_home({}, locale) }
	};
});

/** One pass of the scan: every reminder due now, then the digests of this hour. */
export async function scanStaffWork(db: Db, now = new Date()): Promise<void> {
	const staff = await immediateByAgency(db);
	await questionReminders(db, staff, now);
	await disclosureReminders(db, staff, now);
	await reportReminders(db, staff, now);
	await digests(db, now);
}
