import { sql, type Kysely } from 'kysely';

// Analytics reads sums, never raw answers: every submitted response is queued, and a batch
// aggregator adds it to the sufficient statistics of each group it belongs to (the wave, its
// commune, each demographic band, a band within the commune) for each measure of the instrument.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('analytics_queue')
		.addColumn('response_id', 'uuid', (c) =>
			c.primaryKey().references('survey_response.id').onDelete('cascade')
		)
		.execute();
	await db.schema
		.createTable('analytics_cell')
		.addColumn('wave_id', 'integer', (c) => c.notNull().references('survey_wave.id'))
		// '' for the whole wave, 'unit', 'band:<question>', 'unit+band:<question>'
		.addColumn('grouping', 'text', (c) => c.notNull())
		// '' | '<unit id>' | '<option>' | '<unit id>|<option>'
		.addColumn('cell', 'text', (c) => c.notNull())
		.addColumn('measure', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addColumn('w', 'float8', (c) => c.notNull())
		.addColumn('wy', 'float8', (c) => c.notNull())
		.addColumn('wy2', 'float8', (c) => c.notNull())
		.addColumn('w2', 'float8', (c) => c.notNull())
		.addColumn('w2y', 'float8', (c) => c.notNull())
		.addColumn('w2y2', 'float8', (c) => c.notNull())
		.addPrimaryKeyConstraint('analytics_cell_pk', ['wave_id', 'grouping', 'cell', 'measure'])
		.execute();
	await sql`comment on table analytics_cell is
		'Sums over the respondents of one group for one measure: n, Σw, Σwy, Σwy², Σw², Σw²y, Σw²y²'`.execute(
		db
	);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('analytics_cell').execute();
	await db.schema.dropTable('analytics_queue').execute();
}
