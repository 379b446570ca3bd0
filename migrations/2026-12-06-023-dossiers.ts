import { sql, type Kysely } from 'kysely';

// Dossiers (hồ sơ thủ tục hành chính) received at a one-stop shop, imported from the province's
// one-stop system, and the citizens' ratings of them. A dossier's code is kept only as an HMAC
// under the server secret: the code is what the citizen holds, and a copy of the database must not
// turn it back into their dossier. A rating names its dossier's agency, field and month, never the
// dossier: the dossier only records that it has been rated (one rating per dossier).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('dossier_api_token')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('label', 'text', (c) => c.notNull())
		// SHA-256 of the token: the token itself is shown once, to the admin who made it
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('revoked_at', 'timestamptz')
		.execute();

	await db.schema
		.createTable('dossier_import')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('csv', 'api')`))
		.addColumn('user_id', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('token_id', 'integer', (c) => c.references('dossier_api_token.id'))
		.addColumn('created', 'integer', (c) => c.notNull())
		.addColumn('updated', 'integer', (c) => c.notNull())
		.addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('dossier')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('code_hash', 'text', (c) => c.notNull().unique())
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('procedure', 'text', (c) => c.notNull())
		.addColumn('field', 'text', (c) => c.notNull())
		.addColumn('received_on', 'date', (c) => c.notNull())
		.addColumn('due_on', 'date')
		.addColumn('completed_on', 'date')
		.addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('online', 'offline')`))
		.addColumn('returned_count', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(0)
				.check(sql`returned_count >= 0`)
		)
		.addColumn('import_id', 'integer', (c) => c.notNull().references('dossier_import.id'))
		.addColumn('rated', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();
	await db.schema
		.createIndex('dossier_agency_received')
		.on('dossier')
		.columns(['agency_id', 'received_on'])
		.execute();

	await db.schema
		.createTable('dossier_rating')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('field', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		// the first day of the month of the rating: nothing finer
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('overall', 'smallint', (c) => c.notNull().check(sql`overall between 1 and 5`))
		.addColumn('attitude', 'smallint', (c) => c.notNull().check(sql`attitude between 1 and 5`))
		.addColumn('harassed', 'boolean', (c) => c.notNull())
		.addColumn('timeliness', 'text', (c) =>
			c.notNull().check(sql`timeliness in ('early', 'on_time', 'late')`)
		)
		.addColumn('visits', 'smallint', (c) => c.notNull().check(sql`visits between 1 and 4`))
		// minutes waited at the counter, as the citizen remembers them (a working day at most)
		.addColumn('waiting_minutes', 'smallint', (c) =>
			c.notNull().check(sql`waiting_minutes between 0 and 480`)
		)
		.addColumn('transparency', 'smallint', (c) =>
			c.notNull().check(sql`transparency between 1 and 5`)
		)
		.execute();
	await db.schema
		.createIndex('dossier_rating_agency_month')
		.on('dossier_rating')
		.columns(['agency_id', 'month'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('dossier_rating').execute();
	await db.schema.dropTable('dossier').execute();
	await db.schema.dropTable('dossier_import').execute();
	await db.schema.dropTable('dossier_api_token').execute();
}
