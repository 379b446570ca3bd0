import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import type { NotifyMode } from '../db/schema';

export const NOTIFY_MODES = ['immediate', 'digest', 'off'] as const satisfies readonly NotifyMode[];

export type NotifySettings = { mode: NotifyMode; digestHour: number; lang: 'vi' | 'en' };

/** How a person hears of their work: the mode, the digest's hour (Vietnam time), the language. */
export async function notifySettings(db: Db, userId: string): Promise<NotifySettings> {
	const row = await db
		.selectFrom('app_user')
		.select(['notify_mode', 'digest_hour', 'lang'])
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	return { mode: row.notify_mode, digestHour: row.digest_hour, lang: row.lang };
}

/** Saves a person's own settings, with the change in the audit log. */
export async function saveNotifySettings(db: Db, userId: string, s: NotifySettings) {
	await inTransaction(db, async (trx) => {
		await trx
			.updateTable('app_user')
			.set({ notify_mode: s.mode, digest_hour: s.digestHour, lang: s.lang })
			.where('id', '=', userId)
			.execute();
		await audit(trx, {
			actorId: userId,
			action: 'user.notify_settings',
			entityType: 'user',
			entityId: userId,
			details: s
		});
	});
}
