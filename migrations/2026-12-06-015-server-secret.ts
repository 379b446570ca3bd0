import type { Kysely } from 'kysely';

// Secrets the server makes for itself, shared by every process on the database: the key of the
// rate-limit and sign-in HMACs, made at the first start (insert if absent, so processes starting
// together agree) unless APP_SECRET gives one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('server_secret')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('server_secret').execute();
}
