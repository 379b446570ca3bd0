import { sql, type Kysely } from 'kysely';

// Plans follow how a plan is adopted: a new plan is a draft, not public, until an approver of
// the owning agency (not the person who wrote it: four eyes) makes it public; that day is its
// adoption date, and reporting duties start with the period it falls in. A task added to a plan
// already adopted starts with the period of the day it was added. Plans already public keep
// being public; their adoption date is taken to be the day they were created, the day they
// became public before this change.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('plan')
		.addColumn('adopted_on', 'date')
		.addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('adopted_by', 'uuid', (c) => c.references('app_user.id'))
		.execute();
	// the day in Vietnam (UTC+7, no daylight saving time)
	await sql`update plan set adopted_on = (created_at + interval '7 hours')::date
		where status <> 'draft'`.execute(db);
	await db.schema
		.alterTable('plan')
		.alterColumn('status', (c) => c.setDefault('draft'))
		.execute();
	await db.schema
		.alterTable('plan')
		.addCheckConstraint('plan_adopted', sql`status = 'draft' or adopted_on is not null`)
		.execute();

	await db.schema.alterTable('plan_task').addColumn('adopted_on', 'date').execute();
	await sql`update plan_task t
		set adopted_on = greatest((t.created_at + interval '7 hours')::date, p.adopted_on)
		from plan p where p.id = t.plan_id and p.adopted_on is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('plan_task').dropColumn('adopted_on').execute();
	await db.schema.alterTable('plan').dropConstraint('plan_adopted').execute();
	await db.schema
		.alterTable('plan')
		.alterColumn('status', (c) => c.dropDefault())
		.execute();
	await db.schema
		.alterTable('plan')
		.dropColumn('adopted_by')
		.dropColumn('created_by')
		.dropColumn('adopted_on')
		.execute();
}
