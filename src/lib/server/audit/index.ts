import { sql } from 'kysely';
import { addDays } from '$lib/deadlines/working-days';
import { PAGE_SIZE, pageOffset } from '$lib/lists';
import type { Db } from '../db';

export type AuditEntry = {
	/** who did it; null for the system itself (seeding, scheduled jobs) */
	actorId: string | null;
	/** dotted verb, e.g. `user.create`, `role.grant`, `auth.sign_in` */
	action: string;
	entityType: string;
	entityId?: string | number | null;
	details?: Record<string, unknown>;
};

/**
 * Records a staff action. Call it with the same transaction that makes the change, so the
 * change and its record commit or fail together. The table rejects updates and deletes.
 */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			actor_user_id: entry.actorId,
			action: entry.action,
			entity_type: entry.entityType,
			entity_id: entry.entityId == null ? null : String(entry.entityId),
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}

/** What narrows the audit log: an action, words of the actor's e-mail or name, a date range. */
export type AuditFilter = {
	action?: string | null;
	actor?: string;
	/** Việt Nam calendar dates, both included */
	from?: string | null;
	to?: string | null;
	page?: number;
};

/** The start of a Việt Nam calendar day (UTC+7, no daylight saving) as an instant. */
const vietnamDayStart = (date: string) => new Date(`${date}T00:00:00+07:00`);

/**
 * One page of the audit log matching the filter, newest first, with the actor's and (for an
 * account or a question) the object's name instead of their ids; and how many entries match.
 */
export async function auditPage(db: Db, f: AuditFilter, size = PAGE_SIZE) {
	const words = (f.actor ?? '').trim().toLowerCase();
	const base = db
		.selectFrom('audit_log as l')
		.leftJoin('app_user as u', 'u.id', 'l.actor_user_id')
		.$if(!!f.action, (qb) => qb.where('l.action', '=', f.action!))
		.$if(words !== '', (qb) =>
			qb.where((eb) =>
				eb.or([
					sql<boolean>`strpos(lower(u.email), ${words}) > 0`,
					sql<boolean>`strpos(lower(u.display_name), ${words}) > 0`
				])
			)
		)
		.$if(!!f.from, (qb) => qb.where('l.at', '>=', vietnamDayStart(f.from!)))
		.$if(!!f.to, (qb) => qb.where('l.at', '<', vietnamDayStart(addDays(f.to!, 1))));
	const [rows, total] = await Promise.all([
		base
			.leftJoin('app_user as target', (join) =>
				join.on('l.entity_type', '=', 'user').on(sql<boolean>`target.id::text = l.entity_id`)
			)
			.leftJoin('question as q', (join) =>
				join.on('l.entity_type', '=', 'question').on(sql<boolean>`q.id::text = l.entity_id`)
			)
			.select([
				'l.id',
				'l.at',
				'l.action',
				'l.entity_type as entityType',
				'l.entity_id as entityId',
				'u.email as actorEmail',
				'u.display_name as actorName',
				'target.email as targetEmail',
				'q.code as questionCode'
			])
			.orderBy('l.id', 'desc')
			.limit(size)
			.offset(pageOffset(f.page ?? 1, size))
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(total.n) };
}
