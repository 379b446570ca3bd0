import { sql } from 'kysely';
import { z } from 'zod';
import { PAGE_SIZE, pageOffset } from '$lib/lists';
import { m } from '$lib/paraglide/messages';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import type { DeliveryChannel, DeliveryStatus } from '../db/schema';
import { DomainError } from '../forms/refusal';
import { retryDead } from './worker';

/** The days the administrators' counts look back over. */
export const COUNT_DAYS = 30;

/** How many deliveries of the notifications written in the last COUNT_DAYS days are in each state. */
export async function deliveryCounts(db: Db, now = new Date()) {
	const since = new Date(now.getTime() - COUNT_DAYS * 86_400_000);
	const rows = await db
		.selectFrom('notification_delivery as d')
		.innerJoin('notification as n', 'n.id', 'd.notification_id')
		.where('n.created_at', '>=', since)
		.select(['d.channel', 'd.status', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy(['d.channel', 'd.status'])
		.execute();
	return rows.map((r) => ({
		channel: r.channel as DeliveryChannel,
		status: r.status as DeliveryStatus,
		n: Number(r.n)
	}));
}

/**
 * One page of the dead letters, last given up first: what kind, by which channel, how many tries
 * and the last error (kept without addresses); never who it was for.
 */
export async function deadLetters(db: Db, page: number, size = PAGE_SIZE) {
	const base = db.selectFrom('notification_delivery as d').where('d.status', '=', 'dead');
	const [rows, total] = await Promise.all([
		base
			.innerJoin('notification as n', 'n.id', 'd.notification_id')
			.select([
				sql<string>`d.id::text`.as('id'),
				'n.kind',
				'd.channel',
				'd.attempts',
				'd.last_error as lastError',
				'n.created_at as createdAt',
				'd.done_at as deadAt'
			])
			.orderBy('d.done_at', 'desc')
			.orderBy('d.id', 'desc')
			.limit(size)
			.offset(pageOffset(page, size))
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(total.n) };
}

export const deadLetterRef = z.object({
	id: z.string({ error: () => m.error_invalid_request() }).regex(/^[1-9][0-9]{0,17}$/, {
		error: () => m.error_invalid_request()
	})
});

/** An administrator gives a dead letter another round of tries; audited with the retry. */
export async function retryDeadLetter(db: Db, actorId: string, deliveryId: string): Promise<void> {
	await inTransaction(db, async (trx) => {
		if (!(await retryDead(trx, deliveryId)))
			throw new DomainError('not_dead', 409, () => m.notify_admin_not_dead());
		await audit(trx, {
			actorId,
			action: 'notification.retry',
			entityType: 'notification_delivery',
			entityId: deliveryId
		});
	});
}
