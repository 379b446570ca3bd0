import type { Kysely } from 'kysely';

// A counter closed for good (merged, moved, renamed beyond recognition) is archived rather than
// deleted: its ratings stay in the yearly results, its kiosk links are revoked, and no new ones
// can be made.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('counter').addColumn('archived_at', 'timestamptz').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('counter').dropColumn('archived_at').execute();
}
