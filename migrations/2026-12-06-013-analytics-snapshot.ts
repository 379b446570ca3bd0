import { sql, type Kysely } from 'kysely';

// What an analyst reads is a snapshot, never the live sums (issue 16). analytics_cell stays the
// working sums the aggregator keeps current; a snapshot copies a wave's sums at one moment, adds
// each estimate's standard error worked out once from the raw answers (individual-level, and over
// the sampling design where the wave has one), and decides once which numbers are hidden and why.
// A live wave's snapshot advances only after at least k new responses. A response stays in
// analytics_queue until a snapshot holds it: `aggregated` says it is already in the working sums.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('analytics_queue')
		.addColumn('aggregated', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();
	await sql`create index analytics_queue_waiting on analytics_queue (response_id)
		where not aggregated`.execute(db);

	// the stratum of a designed sample's commune ('' = one stratum for the wave)
	await db.schema
		.alterTable('survey_wave_weight')
		.addColumn('stratum', 'text', (c) => c.notNull().defaultTo(''))
		.execute();

	await db.schema
		.createTable('analytics_snapshot')
		.addColumn('wave_id', 'integer', (c) =>
			c.primaryKey().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('responses', 'integer', (c) => c.notNull())
		.addColumn('taken_at', 'timestamptz', (c) => c.notNull())
		// 'individual': open-link sample; 'designed': strata and primary sampling units
		.addColumn('variance', 'text', (c) =>
			c.notNull().check(sql`variance in ('individual', 'designed')`)
		)
		.addColumn('k', 'integer', (c) => c.notNull())
		// the design weights changed after it was taken: the next snapshot uses the new ones
		.addColumn('stale', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();

	await db.schema
		.createTable('analytics_result')
		.addColumn('wave_id', 'integer', (c) =>
			c.notNull().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('grouping', 'text', (c) => c.notNull())
		.addColumn('cell', 'text', (c) => c.notNull())
		.addColumn('measure', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addColumn('w', 'float8', (c) => c.notNull())
		.addColumn('wy', 'float8', (c) => c.notNull())
		.addColumn('w2', 'float8', (c) => c.notNull())
		// the estimate's standard error, individual-level and (designed samples) over the design
		.addColumn('se', 'float8')
		.addColumn('se_design', 'float8')
		// why it is not shown ('small', 'step', 'incomplete', 'part-small'), null when shown
		.addColumn('hidden', 'text')
		.addPrimaryKeyConstraint('analytics_result_pk', ['wave_id', 'grouping', 'cell', 'measure'])
		.execute();
	await sql`create index analytics_result_measure on analytics_result (wave_id, measure)`.execute(
		db
	);
	// Earlier snapshots a reader may have seen and a later one does not cover (disclosure.ts
	// `keep`): every cell's n and why it was hidden, packed (gzip'd JSON), to check that no
	// figure moves by fewer than k respondents between any two readings.
	await db.schema
		.createTable('analytics_history')
		.addColumn('wave_id', 'integer', (c) =>
			c.notNull().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('taken_at', 'timestamptz', (c) => c.notNull())
		.addColumn('cells', 'bytea', (c) => c.notNull())
		.addPrimaryKeyConstraint('analytics_history_pk', ['wave_id', 'taken_at'])
		.execute();
	await sql`comment on table analytics_result is
		'A wave''s published snapshot: per group and measure n, Σw, Σwy, Σw², standard errors and why hidden'`.execute(
		db
	);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('analytics_history').execute();
	await db.schema.dropTable('analytics_result').execute();
	await db.schema.dropTable('analytics_snapshot').execute();
	await db.schema.alterTable('survey_wave_weight').dropColumn('stratum').execute();
	await sql`delete from analytics_queue where aggregated`.execute(db);
	await sql`drop index analytics_queue_waiting`.execute(db);
	await db.schema.alterTable('analytics_queue').dropColumn('aggregated').execute();
}
