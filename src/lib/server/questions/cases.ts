import { vietnamDate } from '$lib/deadlines/working-days';
import type { Staff } from '$lib/auth/access';
import type { QuestionStatus } from '../db/schema';
import { inTransaction, type Db } from '../db';
import { refreshSearchText } from './ask';
import { day, pauseClock, questionDue } from './clock';
import { recordEvent } from './events';
import { attachFiles } from './files';
import { reviewFingerprint } from '../review/fingerprint';
import { caseRights, type CaseRights } from './permissions';
import { refuseCase } from './refusals';

export type { Staff };

/** An agency by name, so a confirmation can say where the question went. */
export type AgencyName = { vi: string; en: string | null };

/** Where a question went and by when it must be answered (null while its clock is paused). */
export type Routed = { agencies: AgencyName[]; dueOn: string | null };

async function agencyNames(trx: Db, ids: readonly number[]): Promise<AgencyName[]> {
	if (ids.length === 0) return [];
	const rows = await trx
		.selectFrom('agency')
		.select(['id', 'name_vi', 'name_en'])
		.where('id', 'in', [...ids])
		.execute();
	return ids.flatMap((id) => {
		const a = rows.find((r) => r.id === id);
		return a ? [{ vi: a.name_vi, en: a.name_en }] : [];
	});
}

/** Locks the question for the rest of the transaction and checks what the actor may do. */
async function lockCase(trx: Db, staff: Staff, id: number, need: keyof CaseRights) {
	const q = await trx
		.selectFrom('question')
		.selectAll()
		.where('id', '=', id)
		.forUpdate()
		.executeTakeFirst();
	if (!q) throw refuseCase('not_found');
	const rights = caseRights(staff, q.agency_id);
	if (!rights[need]) throw refuseCase('forbidden');
	return { q, rights };
}

function expect(status: QuestionStatus, allowed: readonly QuestionStatus[]) {
	if (!allowed.includes(status)) throw refuseCase('state');
}

async function activeAssignment(trx: Db, questionId: number) {
	const a = await trx
		.selectFrom('question_assignment')
		.selectAll()
		.where('question_id', '=', questionId)
		.where('state', '=', 'active')
		.executeTakeFirst();
	if (!a) throw refuseCase('state');
	return a;
}

// ---- moderation ----

export type Acceptance = {
	agencyIds: readonly number[];
	topic: string;
	publicTitle: string;
	publicBody: string;
};

/**
 * Accepts a question for publication and routes it: to the first agency now, to the others in
 * turn, each after the one before has answered. The legal clock keeps running from receipt.
 */
export async function acceptQuestion(
	db: Db,
	staff: Staff,
	id: number,
	input: Acceptance
): Promise<Routed> {
	return inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'moderate');
		expect(q.status, ['pending']);
		const now = new Date();
		const [first, ...rest] = [...new Set(input.agencyIds)];
		if (first === undefined) throw refuseCase('bad_choice');
		const known = await trx
			.selectFrom('agency')
			.select('id')
			.where('id', 'in', [first, ...rest])
			.execute();
		const topic = await trx
			.selectFrom('question_topic')
			.select('code')
			.where('code', '=', input.topic)
			.executeTakeFirst();
		if (known.length !== rest.length + 1 || !topic) throw refuseCase('bad_choice');
		await trx
			.insertInto('question_assignment')
			.values([
				{
					question_id: id,
					agency_id: first,
					position: 0,
					state: 'active',
					assigned_at: now,
					due_on: q.due_on ? day(q.due_on) : null
				},
				...rest.map((agencyId, i) => ({
					question_id: id,
					agency_id: agencyId,
					position: i + 1,
					state: 'queued' as const
				}))
			])
			.execute();
		await trx
			.updateTable('question')
			.set({
				status: 'assigned',
				agency_id: first,
				topic_code: input.topic,
				public_title: input.publicTitle,
				public_body: input.publicBody,
				accepted_at: now
			})
			.where('id', '=', id)
			.execute();
		await refreshSearchText(trx, id);
		await recordEvent(trx, { questionId: id, kind: 'accepted', actorId: staff.id });
		if (input.publicTitle !== q.title || input.publicBody !== q.body) {
			await recordEvent(trx, { questionId: id, kind: 'redacted', actorId: staff.id });
		}
		await recordEvent(trx, { questionId: id, kind: 'routed', actorId: staff.id, agencyId: first });
		return {
			agencies: await agencyNames(trx, [first, ...rest]),
			dueOn: q.due_on ? day(q.due_on) : null
		};
	});
}

export async function rejectQuestion(db: Db, staff: Staff, id: number, reason: string) {
	await inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'moderate');
		expect(q.status, ['pending', 'needs_info']);
		await trx
			.updateTable('question')
			.set({ status: 'rejected', rejection_reason: reason, due_on: null, paused_since: null })
			.where('id', '=', id)
			.execute();
		await recordEvent(trx, { questionId: id, kind: 'rejected', actorId: staff.id, note: reason });
	});
}

/** Asks the citizen for more detail; the legal clock stops until they answer. */
export async function requestInfo(db: Db, staff: Staff, id: number, request: string) {
	await inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'moderate');
		expect(q.status, ['pending']);
		await trx
			.updateTable('question')
			.set({ status: 'needs_info', info_request: request })
			.where('id', '=', id)
			.execute();
		await pauseClock(trx, id, new Date());
		await recordEvent(trx, {
			questionId: id,
			kind: 'info_requested',
			actorId: staff.id,
			note: request
		});
	});
}

/** Closes a duplicate in favour of another question; its asker is pointed there. */
export async function mergeQuestion(
	db: Db,
	staff: Staff,
	id: number,
	targetCode: string
): Promise<{ into: string }> {
	return inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'moderate');
		expect(q.status, ['pending', 'needs_info']);
		const target = await trx
			.selectFrom('question')
			.select(['id', 'status'])
			.where('code', '=', targetCode.trim().toUpperCase())
			.executeTakeFirst();
		if (!target || target.id === id || !['pending', 'assigned', 'answered'].includes(target.status))
			throw refuseCase('merge_target');
		await trx
			.updateTable('question')
			.set({ status: 'merged', merged_into_id: target.id, due_on: null, paused_since: null })
			.where('id', '=', id)
			.execute();
		await recordEvent(trx, {
			questionId: id,
			kind: 'merged',
			actorId: staff.id,
			note: targetCode.trim().toUpperCase()
		});
		return { into: targetCode.trim().toUpperCase() };
	});
}

/** Replaces the published wording, for example to remove personal data. */
export async function redactQuestion(
	db: Db,
	staff: Staff,
	id: number,
	text: { publicTitle: string; publicBody: string }
) {
	await inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'moderate');
		expect(q.status, ['pending', 'needs_info', 'assigned', 'answered']);
		await trx
			.updateTable('question')
			.set({ public_title: text.publicTitle, public_body: text.publicBody })
			.where('id', '=', id)
			.execute();
		await refreshSearchText(trx, id);
		await recordEvent(trx, { questionId: id, kind: 'redacted', actorId: staff.id });
	});
}

// ---- the agency ----

/** Records that `userId` wrote or changed the reply: they may not approve it (four eyes). */
async function addContributor(trx: Db, replyId: number, userId: string) {
	await trx
		.insertInto('question_reply_contributor')
		.values({ reply_id: replyId, user_id: userId })
		.onConflict((oc) => oc.columns(['reply_id', 'user_id']).doNothing())
		.execute();
}

/**
 * Saves the handling agency's reply draft: any change to a submitted reply takes it back to
 * draft unless it is submitted again. Whoever saves it is one of its contributors for good.
 */
export async function saveDraft(
	db: Db,
	staff: Staff,
	id: number,
	bodyMd: string,
	files: readonly { sha256: string; name: string; size: number; mime: string }[] = [],
	submit = false
) {
	await inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'draft');
		expect(q.status, ['assigned']);
		const assignment = await activeAssignment(trx, id);
		const status = submit ? 'submitted' : 'draft';
		const existing = await trx
			.selectFrom('question_reply')
			.select('id')
			.where('assignment_id', '=', assignment.id)
			.where('status', '<>', 'published')
			.executeTakeFirst();
		const replyId = existing
			? (
					await trx
						.updateTable('question_reply')
						.set({ body_md: bodyMd, status, author_id: staff.id, updated_at: new Date() })
						.where('id', '=', existing.id)
						.returning('id')
						.executeTakeFirstOrThrow()
				).id
			: (
					await trx
						.insertInto('question_reply')
						.values({
							question_id: id,
							assignment_id: assignment.id,
							agency_id: assignment.agency_id,
							body_md: bodyMd,
							status,
							author_id: staff.id
						})
						.returning('id')
						.executeTakeFirstOrThrow()
				).id;
		await addContributor(trx, replyId, staff.id);
		await attachFiles(trx, id, replyId, files);
		await recordEvent(trx, {
			questionId: id,
			kind: submit ? 'submitted' : 'draft_saved',
			actorId: staff.id,
			agencyId: assignment.agency_id
		});
	});
}

async function submittedReply(trx: Db, assignmentId: number) {
	const reply = await trx
		.selectFrom('question_reply')
		.selectAll()
		.where('assignment_id', '=', assignmentId)
		.where('status', '=', 'submitted')
		.executeTakeFirst();
	if (!reply) throw refuseCase('state');
	return reply;
}

/**
 * An approver publishes the submitted reply, never one they wrote, saved or attached a file to
 * (four eyes: checked against every contributor, in this transaction). The assignment is
 * answered, on time or not; the next agency in turn, if any, takes the question with a fresh
 * clock, else the question is answered.
 */
/** The fingerprint of a reply's text and files, as an approver reviews them. */
export async function replyFingerprint(db: Db, replyId: number): Promise<string> {
	const [reply, files] = await Promise.all([
		db
			.selectFrom('question_reply')
			.select('body_md')
			.where('id', '=', replyId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('question_file')
			.select(['id', 'sha256', 'name'])
			.where('reply_id', '=', replyId)
			.orderBy('id')
			.execute()
	]);
	return reviewFingerprint([reply.body_md, files.map((f) => [f.id, f.sha256, f.name])]);
}

/**
 * `seen`: the fingerprint of the reply the approver was shown (see replyFingerprint); a reply
 * changed since is not published. The staff page always sends it.
 */
export async function approveReply(
	db: Db,
	staff: Staff,
	id: number,
	now = new Date(),
	seen?: string
): Promise<{ code: string; next: Routed | null }> {
	return inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'approve');
		expect(q.status, ['assigned']);
		const assignment = await activeAssignment(trx, id);
		const reply = await submittedReply(trx, assignment.id);
		const contributed = await trx
			.selectFrom('question_reply_contributor')
			.select('user_id')
			.where('reply_id', '=', reply.id)
			.where('user_id', '=', staff.id)
			.executeTakeFirst();
		if (contributed || reply.author_id === staff.id) throw refuseCase('own_draft');
		if (seen !== undefined && seen !== (await replyFingerprint(trx, reply.id)))
			throw refuseCase('changed');
		const today = vietnamDate(now);
		await trx
			.updateTable('question_reply')
			.set({ status: 'published', approved_by: staff.id, published_at: now, updated_at: now })
			.where('id', '=', reply.id)
			.execute();
		await trx
			.updateTable('question_assignment')
			.set({
				state: 'answered',
				answered_at: now,
				on_time: assignment.due_on === null || today <= day(assignment.due_on)
			})
			.where('id', '=', assignment.id)
			.execute();
		await recordEvent(trx, {
			questionId: id,
			kind: 'published',
			actorId: staff.id,
			agencyId: assignment.agency_id
		});
		const next = await trx
			.selectFrom('question_assignment')
			.select(['id', 'agency_id'])
			.where('question_id', '=', id)
			.where('state', '=', 'queued')
			.orderBy('position')
			.executeTakeFirst();
		if (next) {
			const due = await questionDue(trx, today);
			await trx
				.updateTable('question_assignment')
				.set({ state: 'active', assigned_at: now, due_on: due })
				.where('id', '=', next.id)
				.execute();
			await trx
				.updateTable('question')
				.set({ agency_id: next.agency_id, due_on: due, answered_at: now })
				.where('id', '=', id)
				.execute();
			await recordEvent(trx, {
				questionId: id,
				kind: 'routed',
				actorId: staff.id,
				agencyId: next.agency_id
			});
			await refreshSearchText(trx, id);
			return {
				code: q.code,
				next: { agencies: await agencyNames(trx, [next.agency_id]), dueOn: due }
			};
		} else {
			await trx
				.updateTable('question')
				.set({ status: 'answered', answered_at: now, due_on: null })
				.where('id', '=', id)
				.execute();
		}
		await refreshSearchText(trx, id);
		return { code: q.code, next: null };
	});
}

/** The approver sends the reply back to its author with what to change. */
export async function returnReply(db: Db, staff: Staff, id: number, note: string) {
	await inTransaction(db, async (trx) => {
		const { q } = await lockCase(trx, staff, id, 'approve');
		expect(q.status, ['assigned']);
		const assignment = await activeAssignment(trx, id);
		const reply = await submittedReply(trx, assignment.id);
		await trx
			.updateTable('question_reply')
			.set({ status: 'draft', updated_at: new Date() })
			.where('id', '=', reply.id)
			.execute();
		await recordEvent(trx, {
			questionId: id,
			kind: 'returned',
			actorId: staff.id,
			agencyId: assignment.agency_id,
			note
		});
	});
}

/** An internal note: never shown to the asker or the public. */
export async function addNote(db: Db, staff: Staff, id: number, note: string) {
	await inTransaction(db, async (trx) => {
		const { q, rights } = await lockCase(trx, staff, id, 'see');
		if (!rights.moderate && !rights.draft && !rights.approve) throw refuseCase('forbidden');
		await recordEvent(trx, {
			questionId: id,
			kind: 'note',
			actorId: staff.id,
			agencyId: q.agency_id,
			note
		});
	});
}

/**
 * Hands the question to another agency with a reason. The clock keeps running: the citizen
 * should not wait longer because the question went to the wrong desk first.
 */
export async function transferQuestion(
	db: Db,
	staff: Staff,
	id: number,
	toAgencyId: number,
	reason: string
): Promise<Routed> {
	return inTransaction(db, async (trx) => {
		const { q, rights } = await lockCase(trx, staff, id, 'see');
		if (!rights.moderate && !rights.draft && !rights.approve) throw refuseCase('forbidden');
		expect(q.status, ['assigned']);
		const assignment = await activeAssignment(trx, id);
		if (assignment.agency_id === toAgencyId) throw refuseCase('same_agency');
		const agency = await trx
			.selectFrom('agency')
			.select('id')
			.where('id', '=', toAgencyId)
			.executeTakeFirst();
		if (!agency) throw refuseCase('bad_choice');
		await trx
			.updateTable('question_assignment')
			.set({ state: 'transferred' })
			.where('id', '=', assignment.id)
			.execute();
		await trx
			.insertInto('question_assignment')
			.values({
				question_id: id,
				agency_id: toAgencyId,
				position: assignment.position,
				state: 'active',
				assigned_at: new Date(),
				due_on: assignment.due_on ? day(assignment.due_on) : null
			})
			.execute();
		await trx.updateTable('question').set({ agency_id: toAgencyId }).where('id', '=', id).execute();
		await recordEvent(trx, {
			questionId: id,
			kind: 'transferred',
			actorId: staff.id,
			agencyId: toAgencyId,
			note: reason
		});
		return {
			agencies: await agencyNames(trx, [toAgencyId]),
			dueOn: assignment.due_on ? day(assignment.due_on) : null
		};
	});
}
