import { randomBytes } from 'node:crypto';
import { config } from '../config';
import { inTransaction, type Db } from '../db';
import { QUESTION_LINK } from '../notify/citizen';
import { notify } from '../notify/outbox';
import { seal } from '../notify/seal';
import { clientKey, hit, type LimitResult } from '../security/rate-limit';
import { accessHash } from './ask';

/** Requests for a lost link per client and hour: enough for typos, too few to try contacts. */
export const LOST_LINK_PER_HOUR = 5;

export async function hitLostLinkLimit(db: Db, address: string): Promise<LimitResult> {
	return hit(db, `lost-link:${clientKey(address, config().appSecret)}`, {
		max: LOST_LINK_PER_HOUR,
		windowSeconds: 3600
	});
}

/** A phone as digits, the Vietnamese way: +84 912…, 0084 912… and 0912… are the same number. */
export function phoneDigits(phone: string): string {
	const digits = phone.replace(/\D/g, '').replace(/^00/, '');
	return digits.startsWith('84') && digits.length >= 11 ? `0${digits.slice(2)}` : digits;
}

/** Whether what was typed is the e-mail (case aside) or the phone (punctuation aside) kept. */
export function sameContact(
	typed: string,
	kept: { email: string | null; phone: string | null }
): boolean {
	const value = typed.trim();
	if (value.includes('@')) return !!kept.email && kept.email.toLowerCase() === value.toLowerCase();
	const digits = phoneDigits(value);
	return digits.length >= 8 && !!kept.phone && phoneDigits(kept.phone) === digits;
}

/**
 * A new private link for the question `code`, sent to its asker, when `contact` is the e-mail or
 * phone they gave with their consent and messages can reach them: the old link stops working in
 * the same transaction. The caller answers the same whatever this returns (true when sent), so
 * the form tells no one whether a code and a contact belong together.
 */
export async function resendLink(db: Db, code: string, contact: string): Promise<boolean> {
	return inTransaction(db, async (trx) => {
		const q = await trx
			.selectFrom('question as q')
			.innerJoin('question_contact as c', 'c.question_id', 'q.id')
			.select(['q.id', 'c.email', 'c.phone'])
			.where('q.code', '=', code.trim().toUpperCase())
			.where('c.consent_at', 'is not', null)
			.forUpdate()
			.executeTakeFirst();
		if (!q || !sameContact(contact, q)) return false;
		// nothing written when no message can reach them (a stop asked for, no transport)
		if (!(await notify(trx, { questionId: q.id, kind: QUESTION_LINK }))) return false;
		const token = randomBytes(16).toString('base64url');
		await trx
			.updateTable('question')
			.set({ access_hash: accessHash(token) })
			.where('id', '=', q.id)
			.execute();
		await trx
			.updateTable('question_contact')
			.set({ link_sealed: seal(token) })
			.where('question_id', '=', q.id)
			.execute();
		return true;
	});
}
