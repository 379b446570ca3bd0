import { sql, type Kysely } from 'kysely';

// Issue 22, the Decision 766 monthly figures. A closed month's figures are frozen the first time
// they are read (or by the hourly housekeeping): the row keeps what was published, after
// suppression, so the archive does not change when dossiers are re-imported or ratings arrive
// late. Nothing here names a person, a dossier or a moment finer than the month.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('service_index_month')
		// the first day of the month (Việt Nam time)
		.addColumn('month', 'date', (c) => c.primaryKey())
		// the k the suppression used
		.addColumn('k', 'integer', (c) => c.notNull())
		// the published report: agencies' and the province's figures, the sampling per field
		.addColumn('report', 'jsonb', (c) => c.notNull())
		.addColumn('frozen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('service_index_month').execute();
}
