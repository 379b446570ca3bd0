import type { Db } from '../db';
import { keptContact } from '../dossiers/contacts';
import { compose, type Addressee, type Content, type Lang, type Message } from './message';

/** A notification as the outbox keeps it. */
export type StoredNotification = {
	id: string;
	kind: string;
	question_id: number | null;
	user_id: string | null;
	dossier_id: number | null;
	params: Record<string, unknown>;
};

/**
 * Says what one kind of notification says, in the recipient's language, from the database as it
 * is when the message goes out; null when there is nothing to say any more (the step was undone).
 */
export type Renderer = (db: Db, n: StoredNotification, lang: Lang) => Promise<Content | null>;

const kinds = new Map<string, Renderer>();

/** Each kind's module registers its renderer once (notify/kinds.ts imports them all). */
export function defineKind(kind: string, render: Renderer): void {
	kinds.set(kind, render);
}

async function addressee(
	db: Db,
	n: StoredNotification
): Promise<(Addressee & { lang: Lang }) | null> {
	if (n.question_id !== null) {
		const contact = await db
			.selectFrom('question_contact')
			.select(['email', 'phone', 'name', 'lang'])
			.where('question_id', '=', n.question_id)
			.where('consent_at', 'is not', null)
			.where('stopped_at', 'is', null)
			.executeTakeFirst();
		return contact ?? null;
	}
	if (n.dossier_id !== null) {
		// the applicant's contact, as the one-stop system exported it; the letter is Vietnamese
		const contact = await keptContact(db, n.dossier_id);
		return contact ? { ...contact, name: null, lang: 'vi' } : null;
	}
	if (n.user_id === null) return null;
	const user = await db
		.selectFrom('app_user')
		.select(['email', 'display_name as name', 'lang'])
		.where('id', '=', n.user_id)
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
	return user ? { ...user, phone: null } : null;
}

/**
 * The message of a notification, addressed as things stand now: null when its recipient can no
 * longer be reached (the contact was deleted at the end of its retention, a stop was asked for,
 * the account was disabled) or the renderer has nothing to say; then nothing is sent.
 */
export async function renderMessage(db: Db, n: StoredNotification): Promise<Message | null> {
	const render = kinds.get(n.kind);
	if (!render) throw new Error(`no renderer for notification kind ${n.kind}`);
	const to = await addressee(db, n);
	if (!to) return null;
	const content = await render(db, n, to.lang);
	if (!content) return null;
	const { lang, ...address } = to;
	return { ...content, ...compose(content, lang), kind: n.kind, lang, to: address };
}
