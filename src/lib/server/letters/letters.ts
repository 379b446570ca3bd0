import type { Staff } from '$lib/auth/access';
import { vietnamDate, type IsoDate } from '$lib/deadlines/working-days';
import { outcome } from '$lib/dossiers/lateness';
import {
	blanksIn,
	DEFAULT_SIGNER_TITLE,
	draftBody,
	placeOf,
	type LetterFacts
} from '$lib/letters/template';
import type { LetterState } from '../db/schema';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { notify, reachable, type Recipient } from '../notify/outbox';
import { APOLOGY_KIND, DOSSIER_APOLOGY_KIND } from './notify';
import { letterAgencies, mayApproveLetter, mayDraftLetter } from './permissions';
import { refuseLetter } from './refusals';

export type LetterSubject = { dossierId: number } | { assignmentId: number };

/** The facts a letter is drafted from, with its agency and the place its heading names. */
async function factsOf(db: Db, subject: LetterSubject, today: IsoDate) {
	if ('dossierId' in subject) {
		const d = await db
			.selectFrom('dossier as d')
			.innerJoin('agency as a', 'a.id', 'd.agency_id')
			.innerJoin('admin_unit as u', 'u.id', 'a.unit_id')
			.select([
				'd.agency_id',
				'a.name_vi',
				'u.name as unit',
				'd.procedure',
				'd.field',
				'd.received_on',
				'd.due_on',
				'd.completed_on'
			])
			.where('d.id', '=', subject.dossierId)
			.executeTakeFirst();
		if (!d) throw refuseLetter('not_found');
		const late = outcome({ dueOn: d.due_on, completedOn: d.completed_on }, today).state === 'late';
		const facts: LetterFacts | null = late
			? {
					kind: 'dossier',
					agency: d.name_vi,
					procedure: d.procedure,
					field: d.field,
					receivedOn: d.received_on,
					dueOn: d.due_on!,
					completedOn: d.completed_on
				}
			: null;
		return { agencyId: d.agency_id, place: placeOf(d.unit), facts };
	}
	const t = await db
		.selectFrom('question_assignment as qa')
		.innerJoin('question as q', 'q.id', 'qa.question_id')
		.innerJoin('agency as a', 'a.id', 'qa.agency_id')
		.innerJoin('admin_unit as u', 'u.id', 'a.unit_id')
		.select([
			'qa.agency_id',
			'a.name_vi',
			'u.name as unit',
			'q.code',
			'q.title',
			'q.received_at',
			'qa.assigned_at',
			'qa.due_on',
			'qa.answered_at',
			'qa.state',
			'qa.on_time'
		])
		.where('qa.id', '=', subject.assignmentId)
		.executeTakeFirst();
	if (!t) throw refuseLetter('not_found');
	// the rule of lateTurnSql (late.ts), for one turn
	const late =
		t.due_on !== null &&
		((t.state === 'answered' && t.on_time === false) || (t.state === 'active' && today > t.due_on));
	const facts: LetterFacts | null = late
		? {
				kind: 'question',
				agency: t.name_vi,
				code: t.code,
				title: t.title,
				receivedOn: vietnamDate(t.assigned_at ?? t.received_at),
				dueOn: t.due_on!,
				answeredOn: t.answered_at ? vietnamDate(t.answered_at) : null
			}
		: null;
	return { agencyId: t.agency_id, place: placeOf(t.unit), facts };
}

/**
 * Drafts the letter of a late dossier or a late question turn from the template, for an official
 * or approver of its agency. One letter per dossier or turn; returns its id.
 */
export async function draftLetter(
	db: Db,
	staff: Staff,
	subject: LetterSubject,
	now = new Date()
): Promise<number> {
	return inTransaction(db, async (trx) => {
		const { agencyId, place, facts } = await factsOf(trx, subject, vietnamDate(now));
		if (!mayDraftLetter(staff.grants, agencyId)) throw refuseLetter('forbidden');
		if (!facts) throw refuseLetter('not_late');
		const row = await trx
			.insertInto('apology_letter')
			.values({
				agency_id: agencyId,
				dossier_id: 'dossierId' in subject ? subject.dossierId : null,
				assignment_id: 'assignmentId' in subject ? subject.assignmentId : null,
				place,
				body: draftBody(facts, vietnamDate(now)),
				signer_title: DEFAULT_SIGNER_TITLE,
				drafted_by: staff.id,
				drafted_at: now,
				updated_by: staff.id,
				updated_at: now
			})
			.onConflict((oc) => oc.doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!row) throw refuseLetter('exists');
		await audit(trx, {
			actorId: staff.id,
			action: 'letter.draft',
			entityType: 'apology_letter',
			entityId: row.id,
			details:
				'dossierId' in subject ? { dossier: subject.dossierId } : { turn: subject.assignmentId }
		});
		return row.id;
	});
}

export type Letter = {
	id: number;
	agencyId: number;
	agencyVi: string;
	agencyEn: string;
	kind: 'dossier' | 'question';
	/** the dossier's procedure, or the question's code */
	what: string;
	addressee: string;
	place: string;
	body: string;
	signerTitle: string;
	signerName: string;
	state: LetterState;
	draftedBy: string | null;
	updatedBy: string | null;
	updatedAt: Date;
	approvedAt: Date | null;
	printedAt: Date | null;
	sentAt: Date | null;
};

function letterQuery(db: Db) {
	return db
		.selectFrom('apology_letter as l')
		.innerJoin('agency as a', 'a.id', 'l.agency_id')
		.leftJoin('dossier as d', 'd.id', 'l.dossier_id')
		.leftJoin('question_assignment as qa', 'qa.id', 'l.assignment_id')
		.leftJoin('question as q', 'q.id', 'qa.question_id')
		.select([
			'l.id',
			'l.agency_id',
			'a.name_vi',
			'a.name_en',
			'l.dossier_id',
			'l.assignment_id',
			'd.procedure',
			'q.code',
			'l.addressee',
			'l.place',
			'l.body',
			'l.signer_title',
			'l.signer_name',
			'l.state',
			'l.drafted_by',
			'l.updated_by',
			'l.updated_at',
			'l.approved_at',
			'l.printed_at',
			'l.sent_at'
		]);
}

type LetterRow = Awaited<ReturnType<ReturnType<typeof letterQuery>['executeTakeFirstOrThrow']>>;

const toLetter = (r: LetterRow): Letter => ({
	id: r.id,
	agencyId: r.agency_id,
	agencyVi: r.name_vi,
	agencyEn: r.name_en,
	kind: r.dossier_id !== null ? 'dossier' : 'question',
	what: r.procedure ?? r.code ?? '',
	addressee: r.addressee,
	place: r.place,
	body: r.body,
	signerTitle: r.signer_title,
	signerName: r.signer_name,
	state: r.state,
	draftedBy: r.drafted_by,
	updatedBy: r.updated_by,
	updatedAt: r.updated_at,
	approvedAt: r.approved_at,
	printedAt: r.printed_at,
	sentAt: r.sent_at
});

/** The letters of the staff member's agencies, drafts first, newest first. */
export async function listLetters(db: Db, staff: Staff, limit = 100): Promise<Letter[]> {
	const agencies = letterAgencies(staff.grants);
	if (!agencies.length) return [];
	const rows = await letterQuery(db)
		.where('l.agency_id', 'in', agencies)
		.orderBy('l.state')
		.orderBy('l.updated_at', 'desc')
		.limit(limit)
		.execute();
	return rows.map(toLetter);
}

/**
 * Who an approved letter goes to through the outbox: a question's asker, or a dossier's applicant
 * (whether they can be reached is the outbox's to say).
 */
async function recipientOf(
	db: Db,
	l: { assignment_id: number | null; dossier_id: number | null }
): Promise<Recipient | null> {
	if (l.dossier_id !== null) return { dossierId: l.dossier_id };
	if (l.assignment_id === null) return null;
	const turn = await db
		.selectFrom('question_assignment')
		.select('question_id')
		.where('id', '=', l.assignment_id)
		.executeTakeFirstOrThrow();
	return { questionId: turn.question_id };
}

/**
 * One letter, for a staff member of its agency; what they may do with it, and for a draft
 * whether approving it will also send it (the citizen left a contact that can be reached).
 */
export async function letterFor(db: Db, staff: Staff, id: number) {
	const row = await letterQuery(db).where('l.id', '=', id).executeTakeFirst();
	if (!row) throw refuseLetter('not_found');
	const letter = toLetter(row);
	if (!mayDraftLetter(staff.grants, letter.agencyId)) throw refuseLetter('forbidden');
	const own = letter.draftedBy === staff.id || letter.updatedBy === staff.id;
	const to = letter.state === 'draft' ? await recipientOf(db, row) : null;
	return {
		letter,
		mayEdit: letter.state === 'draft',
		mayApprove: letter.state === 'draft' && mayApproveLetter(staff.grants, letter.agencyId) && !own,
		blanks: blanksIn(letter.body),
		sendsOnApproval: to !== null && (await reachable(db, to))
	};
}

async function lockLetter(trx: Db, staff: Staff, id: number) {
	const l = await trx
		.selectFrom('apology_letter')
		.selectAll()
		.where('id', '=', id)
		.forUpdate()
		.executeTakeFirst();
	if (!l) throw refuseLetter('not_found');
	if (!mayDraftLetter(staff.grants, l.agency_id)) throw refuseLetter('forbidden');
	return l;
}

export type LetterText = {
	addressee: string;
	place: string;
	body: string;
	signerTitle: string;
	signerName: string;
};

/** Saves a draft's text; whoever saves it may no longer approve it. */
export async function saveLetter(
	db: Db,
	staff: Staff,
	id: number,
	text: LetterText,
	now = new Date()
): Promise<void> {
	await inTransaction(db, async (trx) => {
		const l = await lockLetter(trx, staff, id);
		if (l.state !== 'draft') throw refuseLetter('state');
		await trx
			.updateTable('apology_letter')
			.set({
				addressee: text.addressee,
				place: text.place,
				body: text.body,
				signer_title: text.signerTitle,
				signer_name: text.signerName,
				updated_by: staff.id,
				updated_at: now
			})
			.where('id', '=', id)
			.execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'letter.save',
			entityType: 'apology_letter',
			entityId: id
		});
	});
}

/**
 * An approver of the letter's agency who neither drafted nor last changed it approves it, once
 * no blank is left. The letter then goes through the outbox, in the same transaction, and is
 * marked sent: a question's to the asker (when they left a contact and consented), a dossier's to
 * the applicant's contact when the one-stop system's export carried one.
 */
export async function approveLetter(
	db: Db,
	staff: Staff,
	id: number,
	now = new Date()
): Promise<LetterState> {
	return inTransaction(db, async (trx) => {
		const l = await lockLetter(trx, staff, id);
		if (!mayApproveLetter(staff.grants, l.agency_id)) throw refuseLetter('forbidden');
		if (l.state !== 'draft') throw refuseLetter('state');
		if (l.drafted_by === staff.id || l.updated_by === staff.id) throw refuseLetter('own_letter');
		if (blanksIn(l.body).length) throw refuseLetter('blanks');
		const to = await recipientOf(trx, l);
		const sent =
			to &&
			(await notify(trx, {
				...to,
				kind: to.questionId !== undefined ? APOLOGY_KIND : DOSSIER_APOLOGY_KIND,
				params: { letterId: id },
				dedupeKey: `apology_letter:${id}`
			}));
		const state: LetterState = sent ? 'sent' : 'approved';
		await trx
			.updateTable('apology_letter')
			.set({
				state,
				approved_by: staff.id,
				approved_at: now,
				sent_at: state === 'sent' ? now : null
			})
			.where('id', '=', id)
			.execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'letter.approve',
			entityType: 'apology_letter',
			entityId: id,
			details: { sent: state === 'sent' }
		});
		return state;
	});
}

/**
 * The approved letter to print, for a staff member of its agency; the first print is recorded
 * (and audited). A draft is not printed: it answers 404, as if it were not there to print.
 */
export async function printLetter(db: Db, staff: Staff, id: number, now = new Date()) {
	const { letter } = await letterFor(db, staff, id);
	if (letter.state === 'draft' || !letter.approvedAt) throw refuseLetter('not_approved');
	if (!letter.printedAt) {
		await inTransaction(db, async (trx) => {
			const first = await trx
				.updateTable('apology_letter')
				.set({ printed_at: now })
				.where('id', '=', id)
				.where('printed_at', 'is', null)
				.executeTakeFirst();
			if (Number(first.numUpdatedRows) > 0)
				await audit(trx, {
					actorId: staff.id,
					action: 'letter.print',
					entityType: 'apology_letter',
					entityId: id
				});
		});
	}
	return letter;
}
