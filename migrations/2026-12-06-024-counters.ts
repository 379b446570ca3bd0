import { sql, type Kysely } from 'kysely';

// Issue 22, the counter kiosk. A counter (quầy) of a one-stop shop belongs to an agency, serves
// some fields (lĩnh vực) and puts one survey wave on its tablet (the wave's published version is
// the counter's instrument, so kiosk answers go through the same submission and analytics as the
// web survey). A tablet is enrolled by a kiosk link whose token only staff can make: only its
// hash is kept, and revoking it refuses the link at once. A kiosk response names its counter
// and field, never the tablet, and keeps the hour like every response.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('counter')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 120`))
		// the fields served, as an official writes them ("Hộ tịch", "Đất đai")
		.addColumn('fields', sql`text[]`, (c) =>
			c.notNull().check(sql`cardinality(fields) between 1 and 40`)
		)
		.addColumn('wave_id', 'integer', (c) => c.notNull().references('survey_wave.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
		.execute();
	await db.schema.createIndex('counter_agency').on('counter').column('agency_id').execute();

	await db.schema
		.createTable('counter_kiosk')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('counter_id', 'integer', (c) =>
			c.notNull().references('counter.id').onDelete('cascade')
		)
		.addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
		.addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('revoked_at', 'timestamptz')
		.execute();

	await db.schema
		.alterTable('survey_response')
		.addColumn('counter_id', 'integer', (c) => c.references('counter.id'))
		.addColumn('field', 'text')
		.execute();
	await sql`alter table survey_response add constraint survey_response_counter_field
		check ((counter_id is null) = (field is null))`.execute(db);
	await sql`create index survey_response_counter on survey_response (counter_id)
		where counter_id is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index survey_response_counter`.execute(db);
	await sql`alter table survey_response drop constraint survey_response_counter_field`.execute(db);
	await db.schema
		.alterTable('survey_response')
		.dropColumn('field')
		.dropColumn('counter_id')
		.execute();
	await db.schema.dropTable('counter_kiosk').execute();
	await db.schema.dropTable('counter').execute();
}
