import { sql, type Kysely } from 'kysely';

// Raking a wave to population margins (issue 16). The margins an analyst pasted, with their
// source and whether they are illustrative, and the report of the raking done with them (saved
// and raked in one step; the report goes, the margins stay, when the design weights change);
// each response's final weight. The design weight stays in survey_wave_weight; a response that
// arrives after the raking has no raked weight and counts with its design weight until the
// wave is raked again.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('survey_wave_raking')
		.addColumn('wave_id', 'integer', (c) =>
			c.primaryKey().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('source', 'text', (c) => c.notNull().check(sql`length(source) between 1 and 500`))
		.addColumn('illustrative', 'boolean', (c) => c.notNull())
		.addColumn('saved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('saved_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('raked_at', 'timestamptz')
		.addColumn('responses', 'integer', (c) => c.check(sql`responses > 0`))
		.addColumn('report', 'jsonb')
		.addCheckConstraint(
			'survey_wave_raking_report_whole',
			sql`(raked_at is null) = (report is null) and (report is null) = (responses is null)`
		)
		.execute();
	await db.schema
		.createTable('survey_wave_margin')
		.addColumn('wave_id', 'integer', (c) =>
			c.notNull().references('survey_wave_raking.wave_id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('variable', 'text', (c) => c.notNull())
		.addColumn('category', 'text', (c) => c.notNull())
		.addColumn('population', 'float8', (c) =>
			c.notNull().check(sql`population >= 0 and population <= 1e10`)
		)
		.addPrimaryKeyConstraint('survey_wave_margin_pk', ['wave_id', 'variable', 'category'])
		.execute();
	// a weight, like the design weight of the response's commune, links nothing to a person
	await sql`alter table survey_response add column raked_weight float8
		check (raked_weight > 0 and raked_weight < 1e12)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table survey_response drop column raked_weight`.execute(db);
	await db.schema.dropTable('survey_wave_margin').execute();
	await db.schema.dropTable('survey_wave_raking').execute();
}
