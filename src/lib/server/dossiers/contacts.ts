import type { DossierRecord } from '$lib/dossiers/records';
import type { Db } from '../db';

/**
 * The applicants' contacts a one-stop system's export carries, kept only to send a late
 * dossier's approved apology letter. Each import says what is true now: a record with a contact
 * sets it, one without removes it. A contact is kept a year from the last import that carried it
 * (as an asker's contact is kept a year) and deleted by the hourly housekeeping after that.
 */
export const DOSSIER_CONTACT_DAYS = 365;

/** Writes the contacts of a batch just imported; `ids` are its dossiers' ids, in order. */
export async function saveContacts(
	trx: Db,
	records: readonly DossierRecord[],
	ids: readonly number[],
	now = new Date()
): Promise<void> {
	if (ids.length === 0) return;
	await trx.deleteFrom('dossier_contact').where('dossier_id', 'in', ids).execute();
	const purgeAfter = new Date(now.getTime() + DOSSIER_CONTACT_DAYS * 86_400_000);
	const rows = records
		.map((r, i) => ({
			dossier_id: ids[i]!,
			email: r.email,
			phone: r.phone,
			purge_after: purgeAfter
		}))
		.filter((c) => c.email || c.phone);
	if (rows.length) await trx.insertInto('dossier_contact').values(rows).execute();
}

/** Deletes the applicants' contacts whose time has run out. */
export async function purgeDossierContacts(db: Db, now = new Date()): Promise<number> {
	const result = await db
		.deleteFrom('dossier_contact')
		.where('purge_after', '<', now)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** A dossier's applicant contact while it is kept (the outbox and the sender both ask). */
export function keptContact(db: Db, dossierId: number, now = new Date()) {
	return db
		.selectFrom('dossier_contact')
		.select(['email', 'phone'])
		.where('dossier_id', '=', dossierId)
		.where('purge_after', '>', now)
		.executeTakeFirst();
}
