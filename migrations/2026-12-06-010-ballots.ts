import { sql, type Kysely } from 'kysely';

// An invitation code must not be linkable to the response it allowed (issue 15, finding 7).
// Before, one statement used the code up and wrote the response, so both rows carried the same
// transaction id (xmin), and used_at held the microsecond. Now the code is used up in a
// transaction of its own that deletes it and starts a draft holding a one-time ballot (a flag:
// the draft names no code); the response's transaction spends the ballot with the draft. A used
// code leaves no live row, so no transaction id, row order or time can join it to a response.
// The counts the fieldwork page shows come from invitation_tally (codes issued, batches made).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('invitation_tally')
		.addColumn('wave_id', 'integer', (c) =>
			c.primaryKey().references('survey_wave.id').onDelete('cascade')
		)
		.addColumn('batches', 'integer', (c) => c.notNull())
		.addColumn('issued', 'integer', (c) => c.notNull())
		.execute();
	await sql`insert into invitation_tally (wave_id, batches, issued)
		select wave_id, max(batch), count(*) from invitation_code group by wave_id`.execute(db);

	await db.schema
		.alterTable('survey_draft')
		.addColumn('ballot', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();
	// drafts started with a code not used yet keep going: the newest draft of each such code gets
	// the ballot and the code is used up (here, for all of them at once)
	await sql`update survey_draft d set ballot = true
		from (select distinct on (d2.invitation_id) d2.code_hash from survey_draft d2
			join invitation_code c on c.id = d2.invitation_id
			where c.used_at is null order by d2.invitation_id, d2.updated_at desc) pick
		where d.code_hash = pick.code_hash`.execute(db);
	const { rows } = await sql<{ id: number }>`select c.id from invitation_code c
		where c.used_at is not null
			or exists (select from survey_draft d where d.invitation_id = c.id and d.ballot)`.execute(db);
	await db.schema.alterTable('survey_draft').dropColumn('invitation_id').execute();
	await sql`delete from invitation_code where id = any(${rows.map((r) => r.id)}::int[])`.execute(
		db
	);
	await db.schema.alterTable('invitation_code').dropColumn('used_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('invitation_code').addColumn('used_at', 'timestamptz').execute();
	await db.schema
		.alterTable('survey_draft')
		.addColumn('invitation_id', 'integer', (c) => c.references('invitation_code.id'))
		.execute();
	await db.schema.alterTable('survey_draft').dropColumn('ballot').execute();
	await db.schema.dropTable('invitation_tally').execute();
}
