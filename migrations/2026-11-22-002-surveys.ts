import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('instrument')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('papi', 'sipas', 'other')`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// A published version is frozen (a trigger refuses changes to its spec); editing makes a new
	// draft version. Responses point at the version they answered.
	await db.schema
		.createTable('instrument_version')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('instrument_id', 'integer', (c) => c.notNull().references('instrument.id'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published')`))
		.addColumn('spec', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('published_at', 'timestamptz')
		.addColumn('published_by', 'uuid', (c) => c.references('app_user.id'))
		.addUniqueConstraint('instrument_version_number', ['instrument_id', 'version'])
		.execute();
	await sql`create unique index instrument_one_draft on instrument_version (instrument_id) where status = 'draft'`.execute(
		db
	);
	await sql`
		create function instrument_version_frozen() returns trigger language plpgsql as $$
		begin
			if old.status = 'published' then
				raise exception 'a published instrument version is frozen';
			end if;
			return case when tg_op = 'DELETE' then old else new end;
		end
		$$`.execute(db);
	await sql`create trigger instrument_version_frozen before update or delete on instrument_version
		for each row execute function instrument_version_frozen()`.execute(db);

	await db.schema
		.createTable('survey_wave')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('instrument_version_id', 'integer', (c) =>
			c.notNull().references('instrument_version.id')
		)
		.addColumn('title_vi', 'text', (c) => c.notNull())
		.addColumn('title_en', 'text', (c) => c.notNull())
		.addColumn('description_vi', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('description_en', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('draft')
				.check(sql`status in ('draft', 'open', 'closed')`)
		)
		// 'paged': one section per page; 'single': the whole questionnaire on one page (counters)
		.addColumn('layout', 'text', (c) =>
			c
				.notNull()
				.defaultTo('paged')
				.check(sql`layout in ('paged', 'single')`)
		)
		.addColumn('access_mode', 'text', (c) =>
			c
				.notNull()
				.defaultTo('open')
				.check(sql`access_mode in ('open', 'invitation')`)
		)
		.addColumn('results_mode', 'text', (c) =>
			c
				.notNull()
				.defaultTo('after_close')
				.check(sql`results_mode in ('after_close', 'live')`)
		)
		.addColumn('agency_id', 'integer', (c) => c.references('agency.id'))
		.addColumn('opens_on', 'date')
		.addColumn('closes_on', 'date')
		.addColumn('target_responses', 'integer')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
		.execute();

	// The units a wave covers: a province (all its communes) or some communes.
	await db.schema
		.createTable('survey_wave_unit')
		.addColumn('wave_id', 'integer', (c) =>
			c.notNull().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		.addPrimaryKeyConstraint('survey_wave_unit_pk', ['wave_id', 'unit_id'])
		.execute();

	// Single-use codes for a designed sample. Only a hash is kept; a used code records only that
	// it was used, never by which response.
	await db.schema
		.createTable('invitation_code')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('wave_id', 'integer', (c) =>
			c.notNull().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('code_hash', 'bytea', (c) => c.notNull().unique())
		.addColumn('batch', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('used_at', 'timestamptz')
		.execute();

	// A half-finished questionnaire, found again by the hash of its resume code.
	await db.schema
		.createTable('survey_draft')
		.addColumn('code_hash', 'bytea', (c) => c.primaryKey())
		.addColumn('wave_id', 'integer', (c) =>
			c.notNull().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('invitation_id', 'integer', (c) => c.references('invitation_code.id'))
		// the idempotency key of this draft's submission, fixed when the draft is created
		.addColumn('submit_key', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('survey_draft_expiry')
		.on('survey_draft')
		.column('expires_at')
		.execute();

	// Anonymous by construction: no user, address, user agent or invitation code; the time to the
	// hour. submit_key_hash makes submission idempotent; answers_digest tells a replay of the same
	// answers from a reuse of the key with different ones.
	await db.schema
		.createTable('survey_response')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('wave_id', 'integer', (c) => c.notNull().references('survey_wave.id'))
		.addColumn('instrument_version_id', 'integer', (c) =>
			c.notNull().references('instrument_version.id')
		)
		.addColumn('unit_id', 'integer', (c) => c.references('admin_unit.id'))
		.addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('web', 'interviewer')`))
		.addColumn('submitted_hour', 'timestamptz', (c) => c.notNull())
		.addColumn('receipt', 'text', (c) => c.notNull().unique())
		.addColumn('submit_key_hash', 'bytea', (c) => c.notNull().unique())
		.addColumn('answers_digest', 'bytea', (c) => c.notNull())
		.addCheckConstraint(
			'survey_response_hour_only',
			sql`submitted_hour = date_trunc('hour', submitted_hour)`
		)
		.execute();
	await db.schema
		.createIndex('survey_response_wave')
		.on('survey_response')
		.columns(['wave_id', 'unit_id'])
		.execute();

	await db.schema
		.createTable('survey_answer')
		.addColumn('response_id', 'uuid', (c) =>
			c.notNull().references('survey_response.id').onDelete('cascade')
		)
		.addColumn('question_code', 'text', (c) => c.notNull())
		.addColumn('option_code', 'text')
		.addColumn('value_num', 'double precision')
		.addColumn('value_text', 'text')
		.execute();
	await db.schema
		.createIndex('survey_answer_response')
		.on('survey_answer')
		.column('response_id')
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'survey_answer',
		'survey_response',
		'survey_draft',
		'invitation_code',
		'survey_wave_unit',
		'survey_wave',
		'instrument_version',
		'instrument'
	]) {
		await db.schema.dropTable(table).execute();
	}
	await sql`drop function instrument_version_frozen()`.execute(db);
}
