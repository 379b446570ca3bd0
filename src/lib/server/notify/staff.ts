/**
 * What the staff hear of their work: a new case for their agency, a draft waiting for their
 * approval, deadlines close or passed (staff-scan.ts), and the daily digest. Each message names
 * the work and links to the staff page where it is done; none carries a citizen's contact.
 */
import type { Role } from '$lib/auth/access';
import { formatDate, formatPeriod } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import type { QuestionEvent } from '../questions/events';
import { publicUrl } from './links';
import type { Lang } from './message';
import { notify } from './outbox';
import { defineKind, type Renderer, type StoredNotification } from './render';

const name = (lang: Lang, vi: string, en: string | null) => (lang === 'en' && en ? en : vi);
const opts = (lang: Lang) => ({ locale: lang });

/**
 * The enabled accounts holding one of `roles` for `agencyId` that hear of each step as it
 * happens, less `except` (who did the step, or wrote the draft: they may not approve it).
 */
export async function immediateStaff(
	db: Db,
	agencyId: number,
	roles: readonly Role[],
	except: readonly (string | null)[] = []
): Promise<string[]> {
	const others = except.filter((id): id is string => !!id);
	const rows = await db
		.selectFrom('user_role as r')
		.innerJoin('app_user as u', 'u.id', 'r.user_id')
		.select('u.id')
		.distinct()
		.where('r.agency_id', '=', agencyId)
		.where('r.role', 'in', [...roles])
		.where('u.disabled_at', 'is', null)
		.where('u.notify_mode', '=', 'immediate')
		.$if(others.length > 0, (q) => q.where('u.id', 'not in', others))
		.orderBy('u.id')
		.execute();
	return rows.map((r) => r.id);
}

// ---- steps of a case ----

/**
 * Called by recordEvent in the step's transaction: a case routed or transferred to an agency
 * reaches its officials; a reply submitted reaches the agency's approvers who did not write it.
 */
export async function notifyStaffOfCase(trx: Db, event: QuestionEvent): Promise<void> {
	const agencyId = event.agencyId;
	if (agencyId == null) return;
	if (event.kind === 'routed' || event.kind === 'transferred') {
		for (const userId of await immediateStaff(trx, agencyId, ['official'], [event.actorId]))
			await notify(trx, {
				userId,
				kind: 'staff.new_case',
				params: { questionId: event.questionId, agencyId }
			});
	} else if (event.kind === 'submitted') {
		const contributors = await trx
			.selectFrom('question_reply as r')
			.innerJoin('question_reply_contributor as c', 'c.reply_id', 'r.id')
			.select('c.user_id')
			.where('r.question_id', '=', event.questionId)
			.where('r.status', '=', 'submitted')
			.execute();
		const except = [event.actorId, ...contributors.map((c) => c.user_id)];
		for (const userId of await immediateStaff(trx, agencyId, ['approver'], except))
			await notify(trx, {
				userId,
				kind: 'staff.reply_to_approve',
				params: { questionId: event.questionId, agencyId }
			});
	}
}

/** A disclosure version submitted for approval: the agency's approvers who did not write it. */
export async function notifyDisclosureSubmitted(
	trx: Db,
	d: { id: number; agency_id: number },
	versionId: number
): Promise<void> {
	const contributors = await trx
		.selectFrom('disclosure_version_contributor')
		.select('user_id')
		.where('version_id', '=', versionId)
		.execute();
	const version = await trx
		.selectFrom('disclosure_version')
		.select('author_id')
		.where('id', '=', versionId)
		.executeTakeFirstOrThrow();
	const except = [version.author_id, ...contributors.map((c) => c.user_id)];
	for (const userId of await immediateStaff(trx, d.agency_id, ['approver'], except))
		await notify(trx, {
			userId,
			kind: 'staff.disclosure_to_approve',
			params: { disclosureId: d.id, versionId }
		});
}

type CaseParams = { questionId: number; agencyId: number; dueOn?: string };

/** The case as a message names it: its code, public title and agency, while still that agency's. */
async function caseOf(db: Db, n: StoredNotification) {
	const p = n.params as CaseParams;
	return db
		.selectFrom('question as q')
		.innerJoin('agency as a', 'a.id', 'q.agency_id')
		.select(['q.id', 'q.code', 'q.public_title', 'q.due_on', 'a.name_vi', 'a.name_en'])
		.where('q.id', '=', p.questionId)
		.where('q.agency_id', '=', p.agencyId)
		.where('q.status', '=', 'assigned')
		.executeTakeFirst();
}

const caseLink = (id: number, lang: Lang) => ({
	href: publicUrl(`/officials/questions/${id}`),
	label: m.notify_staff_open_case({}, opts(lang))
});

defineKind('staff.new_case', async (db, n, lang) => {
	const q = await caseOf(db, n);
	if (!q) return null;
	const agency = name(lang, q.name_vi, q.name_en);
	return {
		subject: m.notify_staff_new_case_subject({ code: q.code }, opts(lang)),
		lines: [
			m.notify_staff_new_case_line({ title: q.public_title, code: q.code, agency }, opts(lang)),
			...(q.due_on ? [m.notify_staff_due_on({ due: formatDate(q.due_on) }, opts(lang))] : [])
		],
		link: caseLink(q.id, lang)
	};
});

defineKind('staff.reply_to_approve', async (db, n, lang) => {
	const q = await caseOf(db, n);
	if (!q) return null;
	const waiting = await db
		.selectFrom('question_reply')
		.select('id')
		.where('question_id', '=', q.id)
		.where('status', '=', 'submitted')
		.executeTakeFirst();
	if (!waiting) return null;
	return {
		subject: m.notify_staff_reply_subject({ code: q.code }, opts(lang)),
		lines: [m.notify_staff_reply_line({ title: q.public_title, code: q.code }, opts(lang))],
		link: caseLink(q.id, lang)
	};
});

defineKind('staff.disclosure_to_approve', async (db, n, lang) => {
	const p = n.params as { disclosureId: number; versionId: number };
	const v = await db
		.selectFrom('disclosure_version')
		.select(['number', 'title'])
		.where('id', '=', p.versionId)
		.where('status', '=', 'submitted')
		.executeTakeFirst();
	if (!v) return null;
	return {
		subject: m.notify_staff_disclosure_subject({ title: v.title }, opts(lang)),
		lines: [m.notify_staff_disclosure_line({ title: v.title, version: v.number }, opts(lang))],
		link: {
			href: publicUrl(`/officials/disclosures/${p.disclosureId}`),
			label: m.notify_staff_open_disclosure({}, opts(lang))
		}
	};
});

// ---- reminders written by the scan (staff-scan.ts) ----

/** A question's deadline, tomorrow or passed: the same message but for its words. */
function questionDeadline(
	subject: typeof m.notify_staff_question_due_subject,
	line: typeof m.notify_staff_question_due_line
): Renderer {
	return async (db, n, lang) => {
		const q = await caseOf(db, n);
		const due = (n.params as CaseParams).dueOn;
		if (!q || !due) return null;
		return {
			subject: subject({ code: q.code }, opts(lang)),
			lines: [line({ title: q.public_title, code: q.code, due: formatDate(due) }, opts(lang))],
			link: caseLink(q.id, lang)
		};
	};
}

defineKind(
	'staff.question_due',
	questionDeadline(m.notify_staff_question_due_subject, m.notify_staff_question_due_line)
);
defineKind(
	'staff.question_overdue',
	questionDeadline(m.notify_staff_question_overdue_subject, m.notify_staff_question_overdue_line)
);

type DisclosureDue = { unitId: number; typeCode: string; period: string | null; due: string };

async function disclosureDue(db: Db, n: StoredNotification, lang: Lang, overdue: boolean) {
	const p = n.params as DisclosureDue;
	const [type, unit] = await Promise.all([
		db
			.selectFrom('disclosure_type')
			.select(['name_vi', 'name_en'])
			.where('code', '=', p.typeCode)
			.executeTakeFirst(),
		db.selectFrom('admin_unit').select('name').where('id', '=', p.unitId).executeTakeFirst()
	]);
	if (!type || !unit) return null;
	const values = {
		type: name(lang, type.name_vi, type.name_en),
		period: formatPeriod(p.period, lang),
		unit: unit.name,
		due: formatDate(p.due)
	};
	return {
		subject: overdue
			? m.notify_staff_disclosure_overdue_subject(values, opts(lang))
			: m.notify_staff_disclosure_due_subject(values, opts(lang)),
		lines: [
			overdue
				? m.notify_staff_disclosure_overdue_line(values, opts(lang))
				: m.notify_staff_disclosure_due_line(values, opts(lang))
		],
		link: {
			href: publicUrl(
				`/officials/disclosures/compliance?state=${overdue ? 'overdue' : 'due_soon'}`
			),
			label: m.notify_staff_open_compliance({}, opts(lang))
		}
	};
}

defineKind('staff.disclosure_due', (db, n, lang) => disclosureDue(db, n, lang, false));
defineKind('staff.disclosure_overdue', (db, n, lang) => disclosureDue(db, n, lang, true));

type ReportDue = { planId: number; taskId: number; period: string; due: string };

async function reportDue(db: Db, n: StoredNotification, lang: Lang, overdue: boolean) {
	const p = n.params as ReportDue;
	const task = await db
		.selectFrom('plan_task as t')
		.innerJoin('plan as p', 'p.id', 't.plan_id')
		.select(['t.title as task', 'p.title as plan'])
		.where('t.id', '=', p.taskId)
		.executeTakeFirst();
	if (!task) return null;
	const values = { ...task, period: formatPeriod(p.period, lang), due: formatDate(p.due) };
	return {
		subject: overdue
			? m.notify_staff_report_overdue_subject(values, opts(lang))
			: m.notify_staff_report_due_subject(values, opts(lang)),
		lines: [
			overdue
				? m.notify_staff_report_overdue_line(values, opts(lang))
				: m.notify_staff_report_due_line(values, opts(lang))
		],
		link: {
			href: publicUrl(`/officials/plans/${p.planId}`),
			label: m.notify_staff_open_plan({}, opts(lang))
		}
	};
}

defineKind('staff.report_due', (db, n, lang) => reportDue(db, n, lang, false));
defineKind('staff.report_overdue', (db, n, lang) => reportDue(db, n, lang, true));
