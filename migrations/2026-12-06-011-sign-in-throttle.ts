import { sql, type Kysely } from 'kysely';

// Sign-in failures, for growing delays instead of a lock-out: one row per key (this client for
// this account, this client over all accounts, this account from all clients), with the count
// of failures and the time of the last one. Keys are HMACs under APP_SECRET, never an e-mail or
// an address. The fixed sign-in windows this replaces (rate_limit rows 'signin:...') go.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('sign_in_failure')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('failures', 'integer', (c) => c.notNull().check(sql`failures >= 0`))
		.addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await sql`delete from rate_limit where key like 'signin:%'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('sign_in_failure').execute();
}
