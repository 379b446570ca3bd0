import { sql, type Kysely } from 'kysely';

// What analysts put beside a wave's estimates: design weights per commune, the province's
// official published PAPI/SIPAS figures, and targets (for example SIPAS >= 90%). Microdata
// (one row per response) is a separate grant, since it is more than the aggregates show.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
	await sql`alter table user_role add constraint user_role_role_check
		check (role in ('official', 'moderator', 'analyst', 'admin', 'interviewer', 'microdata'))`.execute(
		db
	);
	await sql`alter table user_role drop constraint user_role_scope_fits_role`.execute(db);
	await sql`alter table user_role add constraint user_role_scope_fits_role check (
		(role = 'official' and agency_id is not null and unit_id is null)
		or (role in ('analyst', 'interviewer', 'microdata') and agency_id is null)
		or (role in ('moderator', 'admin') and agency_id is null and unit_id is null))`.execute(db);

	// A designed sample's weight for the respondents of one commune (1 where none is set).
	await db.schema
		.createTable('survey_wave_weight')
		.addColumn('wave_id', 'integer', (c) =>
			c.notNull().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		.addColumn('weight', 'float8', (c) => c.notNull().check(sql`weight > 0 and weight < 1e6`))
		.addPrimaryKeyConstraint('survey_wave_weight_pk', ['wave_id', 'unit_id'])
		.execute();

	// Figures the province publishes (PAPI report, SIPAS report), entered by analysts, per year
	// and measure of an instrument ('total', a dimension's or element's code).
	await db.schema
		.createTable('official_result')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('instrument_id', 'integer', (c) => c.notNull().references('instrument.id'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		.addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2009 and 2100`))
		.addColumn('measure', 'text', (c) => c.notNull())
		.addColumn('value', 'float8', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('entered_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('entered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('official_result_unique', ['instrument_id', 'unit_id', 'year', 'measure'])
		.execute();

	// A target for one measure of an instrument, drawn on its charts.
	await db.schema
		.createTable('measure_target')
		.addColumn('instrument_id', 'integer', (c) => c.notNull().references('instrument.id'))
		.addColumn('measure', 'text', (c) => c.notNull())
		.addColumn('value', 'float8', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
		.addPrimaryKeyConstraint('measure_target_pk', ['instrument_id', 'measure'])
		.execute();

	// The dashboard reads one measure (the respondent count) across every group of a wave.
	await sql`create index analytics_cell_measure on analytics_cell (wave_id, measure)`.execute(db);
	// A response's closed answers as one string, "question=option&question=12&…" in the order
	// given, written with the response: the microdata export reads it instead of joining and
	// aggregating the answer rows (3 s for 100,000 responses rather than 5). Never free text.
	await sql`alter table survey_response add column closed_answers text not null default ''`.execute(
		db
	);
	await sql`update survey_response r set closed_answers = coalesce((
		select string_agg(a.question_code || '=' || coalesce(a.option_code, a.value_num::text), '&')
		from survey_answer a where a.response_id = r.id and a.value_text is null), '')`.execute(db);
	// Recomputing and exporting a wave read its responses in id order.
	await sql`create index survey_response_wave_id on survey_response (wave_id, id)`.execute(db);
	// The cells now also count respondents and answer distributions: rebuild them all by queueing
	// every response again for the aggregator.
	await sql`delete from analytics_cell`.execute(db);
	await sql`insert into analytics_queue (response_id) select id from survey_response
		on conflict do nothing`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index survey_response_wave_id`.execute(db);
	await sql`alter table survey_response drop column closed_answers`.execute(db);
	await sql`drop index analytics_cell_measure`.execute(db);
	await db.schema.dropTable('measure_target').execute();
	await db.schema.dropTable('official_result').execute();
	await db.schema.dropTable('survey_wave_weight').execute();
	await sql`delete from user_role where role = 'microdata'`.execute(db);
	await sql`alter table user_role drop constraint user_role_scope_fits_role`.execute(db);
	await sql`alter table user_role add constraint user_role_scope_fits_role check (
		(role = 'official' and agency_id is not null and unit_id is null)
		or (role in ('analyst', 'interviewer') and agency_id is null)
		or (role in ('moderator', 'admin') and agency_id is null and unit_id is null))`.execute(db);
	await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
	await sql`alter table user_role add constraint user_role_role_check
		check (role in ('official', 'moderator', 'analyst', 'admin', 'interviewer'))`.execute(db);
}
