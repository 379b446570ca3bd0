import type { Kysely } from 'kysely';

// The long staff lists read a page at a time in a fixed order: the moderation queue by status,
// oldest first; an agency's disclosures newest first; the audit log newest first by action,
// actor or date; the accounts newest first. An index per order keeps a page from sorting the
// whole table.

const INDEXES: [name: string, table: string, columns: string[]][] = [
	['question_queue', 'question', ['status', 'received_at', 'id']],
	['disclosure_agency_updated', 'disclosure', ['agency_id', 'updated_at']],
	['audit_log_action', 'audit_log', ['action', 'id']],
	['audit_log_actor', 'audit_log', ['actor_user_id', 'id']],
	['audit_log_at', 'audit_log', ['at']],
	['app_user_created', 'app_user', ['created_at']]
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	for (const [name, table, columns] of INDEXES)
		await db.schema.createIndex(name).on(table).columns(columns).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
