import type { Db } from '../db';
import { keptContact } from '../dossiers/contacts';
import type { DeliveryChannel } from '../db/schema';
import { transportOf } from './transports';

/** A question's asker, a staff account, or a dossier's applicant. */
export type Recipient =
	| { questionId: number; userId?: never; dossierId?: never }
	| { userId: string; questionId?: never; dossierId?: never }
	| { dossierId: number; questionId?: never; userId?: never };

export type NewNotification = Recipient & {
	kind: string;
	/** what the message says beyond what is read when it is sent (a reason, counts) */
	params?: Record<string, unknown>;
	/** written once across every server and every run of a scan (deadline reminders, digests) */
	dedupeKey?: string;
};

/** The channels that can reach this recipient now, among those this portal has a transport for. */
async function channelsFor(trx: Db, to: Recipient): Promise<DeliveryChannel[]> {
	const channels: DeliveryChannel[] = [];
	if (to.questionId !== undefined) {
		const contact = await trx
			.selectFrom('question_contact')
			.select(['email', 'phone'])
			.where('question_id', '=', to.questionId)
			.where('consent_at', 'is not', null)
			.where('stopped_at', 'is', null)
			.executeTakeFirst();
		if (contact?.email && transportOf('email')) channels.push('email');
		if (contact?.phone && transportOf('webhook')) channels.push('webhook');
	} else if (to.dossierId !== undefined) {
		const contact = await keptContact(trx, to.dossierId);
		if (contact?.email && transportOf('email')) channels.push('email');
		if (contact?.phone && transportOf('webhook')) channels.push('webhook');
	} else {
		const user = await trx
			.selectFrom('app_user')
			.select('id')
			.where('id', '=', to.userId)
			.where('disabled_at', 'is', null)
			.executeTakeFirst();
		if (user && transportOf('email')) channels.push('email');
	}
	return channels;
}

/** Whether a message to this recipient would be sent now (some channel reaches them). */
export async function reachable(db: Db, to: Recipient): Promise<boolean> {
	return (await channelsFor(db, to)).length > 0;
}

/**
 * Writes a notification and its deliveries in the caller's transaction, so the step and its
 * message commit or roll back together. Nothing is written when the recipient cannot be reached
 * (no contact or no consent, a stop asked for, no transport) or when the dedupe key was used.
 * Returns the notification's id, or null.
 */
export async function notify(trx: Db, n: NewNotification): Promise<string | null> {
	const channels = await channelsFor(trx, n);
	if (!channels.length) return null;
	const row = await trx
		.insertInto('notification')
		.values({
			kind: n.kind,
			question_id: n.questionId ?? null,
			user_id: n.userId ?? null,
			dossier_id: n.dossierId ?? null,
			params: JSON.stringify(n.params ?? {}),
			dedupe_key: n.dedupeKey ?? null
		})
		.onConflict((oc) => oc.column('dedupe_key').doNothing())
		.returning('id')
		.executeTakeFirst();
	if (!row) return null;
	await trx
		.insertInto('notification_delivery')
		.values(channels.map((channel) => ({ notification_id: row.id, channel })))
		.execute();
	// int8 comes back as a number (db/index.ts); ids leave the outbox as the text they are
	return String(row.id);
}
