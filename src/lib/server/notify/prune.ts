import { sql } from 'kysely';
import type { Db } from '../db';

/** How long the outbox keeps a notification once nothing is left to try. */
export const KEEP_DAYS = 90;

/**
 * Deletes the notifications written more than KEEP_DAYS ago with no delivery still being tried
 * (sent, dropped, or a dead letter nobody retried): the outbox is a queue, not an archive, and
 * what a step said lives in the step's own records. Returns how many went.
 */
export async function pruneNotifications(db: Db, now = new Date()): Promise<number> {
	const before = new Date(now.getTime() - KEEP_DAYS * 86_400_000);
	const result = await db
		.deleteFrom('notification as n')
		.where('n.created_at', '<', before)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('notification_delivery as d')
						.select(sql`1`.as('one'))
						.whereRef('d.notification_id', '=', 'n.id')
						.where('d.status', '=', 'pending')
				)
			)
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
