import { audit } from '../audit';
import { announce } from '../cache/invalidation';
import type { Db } from '../db';
import { TOLD_TO_ASKER } from '../notify/citizen';
import { notify } from '../notify/outbox';
import { notifyStaffOfCase } from '../notify/staff';

/**
 * What can happen to a question. Public kinds show on the asker's private page; internal ones
 * (drafts, notes, returns, redactions) only on the staff's timeline.
 */
export const EVENT_KINDS = {
	received: false,
	info_requested: false,
	info_provided: false,
	rejected: false,
	merged: false,
	accepted: false,
	routed: false,
	transferred: false,
	published: false,
	reopened: false,
	rated: false,
	redacted: true,
	draft_saved: true,
	submitted: true,
	returned: true,
	note: true
} as const satisfies Record<string, boolean>;

export type EventKind = keyof typeof EVENT_KINDS;

/**
 * Steps that change what the public lists show of a question (it is listed, answered, reopened,
 * reworded, handled by another agency, rated): every server forgets its copies of those pages.
 */
const SHOWN_PUBLICLY = new Set<EventKind>([
	'accepted',
	'routed',
	'transferred',
	'published',
	'reopened',
	'redacted',
	'rated'
]);

export type QuestionEvent = {
	questionId: number;
	kind: EventKind;
	actorId: string | null;
	agencyId?: number | null;
	note?: string | null;
};

/**
 * One step on the case's timeline; a staff member's step goes to the audit log as well, and the
 * staff and the asker are told of the steps that concern them, in the same transaction.
 */
export async function recordEvent(trx: Db, event: QuestionEvent): Promise<void> {
	await trx
		.insertInto('question_event')
		.values({
			question_id: event.questionId,
			kind: event.kind,
			actor_id: event.actorId,
			agency_id: event.agencyId ?? null,
			note: event.note ?? null,
			internal: EVENT_KINDS[event.kind]
		})
		.execute();
	await trx
		.updateTable('question')
		.set({ updated_at: new Date() })
		.where('id', '=', event.questionId)
		.execute();
	if (SHOWN_PUBLICLY.has(event.kind))
		await announce(trx, { topic: 'questions', id: event.questionId });
	if (event.actorId) {
		await audit(trx, {
			actorId: event.actorId,
			action: `question.${event.kind}`,
			entityType: 'question',
			entityId: event.questionId,
			details: event.agencyId ? { agencyId: event.agencyId } : {}
		});
	}
	await notifyStaffOfCase(trx, event);
	const told = TOLD_TO_ASKER[event.kind];
	if (told) {
		await notify(trx, {
			questionId: event.questionId,
			kind: told,
			params: event.agencyId ? { agencyId: event.agencyId } : {}
		});
	}
}

/** The case's steps, oldest first; the public (asker's) view leaves out internal ones and names. */
export async function timeline(db: Db, questionId: number, includeInternal: boolean) {
	const rows = await db
		.selectFrom('question_event as e')
		.leftJoin('agency as a', 'a.id', 'e.agency_id')
		.leftJoin('app_user as u', 'u.id', 'e.actor_id')
		.select([
			'e.id',
			'e.at',
			'e.kind',
			'e.note',
			'e.internal',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn',
			'u.display_name as actor'
		])
		.where('e.question_id', '=', questionId)
		.$if(!includeInternal, (q) => q.where('e.internal', '=', false))
		.orderBy('e.id')
		.execute();
	return rows.map((r) => ({
		id: String(r.id),
		at: r.at,
		kind: r.kind as EventKind,
		note: r.note,
		internal: r.internal,
		agencyVi: r.agencyVi,
		agencyEn: r.agencyEn,
		actor: includeInternal ? r.actor : null
	}));
}
