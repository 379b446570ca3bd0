import { sql, type Kysely } from 'kysely';

// Improvement plans: the task matrices of the provincial plans (one task per row: the PAPI
// dimension or sub-dimension, or SIPAS element or criterion, it should move; the lead agency;
// cooperating agencies; a timeline; a target and expected output), and the agencies' progress
// reports per period. A task's measure is the code of a section or part of the plan's
// instrument, so its score comes from analytics.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('plan')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		// the agency that owns the plan (usually the Department of Home Affairs): it edits and imports
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('instrument_id', 'integer', (c) => c.notNull().references('instrument.id'))
		.addColumn('year_from', 'integer', (c) =>
			c.notNull().check(sql`year_from between 2000 and 2100`)
		)
		.addColumn('year_to', 'integer', (c) => c.notNull())
		.addColumn('legal_ref', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('draft', 'active', 'closed')`)
		)
		.addColumn('report_frequency', 'text', (c) =>
			c.notNull().check(sql`report_frequency in ('quarterly', 'half_yearly', 'yearly')`)
		)
		// a measure below this share of its scale is weak
		.addColumn('weak_below', 'float8', (c) =>
			c
				.notNull()
				.defaultTo(0.5)
				.check(sql`weak_below > 0 and weak_below < 1`)
		)
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('plan_years', sql`year_to >= year_from and year_to <= year_from + 10`)
		.execute();

	await db.schema
		.createTable('plan_task')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('plan_id', 'integer', (c) => c.notNull().references('plan.id').onDelete('cascade'))
		.addColumn('number', 'text', (c) => c.notNull().defaultTo(''))
		// a section or part code of the plan's instrument; null for a general task
		.addColumn('measure_code', 'text')
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('lead_agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('cooperating', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('timeline', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('recurrence', 'text', (c) =>
			c.notNull().check(sql`recurrence in ('once', 'continuous', 'monthly', 'quarterly', 'yearly')`)
		)
		.addColumn('due_on', 'date')
		.addColumn('target', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('output', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('not_started', 'in_progress', 'done', 'cancelled')`)
		)
		.addColumn('public', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('plan_task_plan')
		.on('plan_task')
		.columns(['plan_id', 'measure_code'])
		.execute();
	await db.schema.createIndex('plan_task_lead').on('plan_task').column('lead_agency_id').execute();

	await db.schema
		.createTable('plan_report')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('task_id', 'integer', (c) =>
			c.notNull().references('plan_task.id').onDelete('cascade')
		)
		// 'YYYY-Qn', 'YYYY-H1'/'YYYY-H2' or 'YYYY'
		.addColumn('period', 'text', (c) =>
			c.notNull().check(sql`period ~ '^[0-9]{4}(-Q[1-4]|-H[12])?$'`)
		)
		.addColumn('percent', 'integer', (c) => c.notNull().check(sql`percent between 0 and 100`))
		.addColumn('progress', 'text', (c) => c.notNull())
		// one link a line (evidence published elsewhere)
		.addColumn('links', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('internal_note', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('submitted_by', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('plan_report_task_period', ['task_id', 'period'])
		.execute();
	await db.schema
		.createTable('plan_report_file')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('report_id', 'integer', (c) =>
			c.notNull().references('plan_report.id').onDelete('cascade')
		)
		.addColumn('sha256', 'text', (c) => c.notNull().references('stored_file.sha256'))
		.addColumn('name', 'text', (c) => c.notNull())
		.execute();

	await db
		.insertInto('deadline_rule')
		.values({
			code: 'plan_report',
			working_days: 10,
			basis_vi: 'Báo cáo tiến độ kế hoạch: chậm nhất 10 ngày làm việc sau khi hết kỳ báo cáo',
			basis_en: 'Plan progress report: within 10 working days after the reporting period'
		})
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.deleteFrom('deadline_rule').where('code', '=', 'plan_report').execute();
	for (const table of ['plan_report_file', 'plan_report', 'plan_task', 'plan']) {
		await db.schema.dropTable(table).execute();
	}
}
