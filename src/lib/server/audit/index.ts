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

export async function recentAudit(db: Db, limit = 50) {
	return db
		.selectFrom('audit_log')
		.leftJoin('app_user', 'app_user.id', 'audit_log.actor_user_id')
		.select([
			'audit_log.id',
			'audit_log.at',
			'audit_log.action',
			'audit_log.entity_type',
			'audit_log.entity_id',
			'audit_log.details',
			'app_user.email as actor_email'
		])
		.orderBy('audit_log.id', 'desc')
		.limit(limit)
		.execute();
}
