import { sql, type Kysely } from 'kysely';

// Field interviewers (PAPI is face-to-face) enter responses on behalf of respondents. The
// response records only the mode, never who entered it.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
	await sql`alter table user_role add constraint user_role_role_check
		check (role in ('official', 'moderator', 'analyst', 'admin', 'interviewer'))`.execute(db);
	await sql`alter table user_role drop constraint user_role_scope_fits_role`.execute(db);
	await sql`alter table user_role add constraint user_role_scope_fits_role check (
		(role = 'official' and agency_id is not null and unit_id is null)
		or (role in ('analyst', 'interviewer') and agency_id is null)
		or (role in ('moderator', 'admin') and agency_id is null and unit_id is null))`.execute(db);
	await db.schema
		.alterTable('survey_draft')
		.addColumn('mode', 'text', (c) =>
			c
				.notNull()
				.defaultTo('web')
				.check(sql`mode in ('web', 'interviewer')`)
		)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('survey_draft').dropColumn('mode').execute();
	await sql`delete from user_role where role = 'interviewer'`.execute(db);
	await sql`alter table user_role drop constraint user_role_scope_fits_role`.execute(db);
	await sql`alter table user_role add constraint user_role_scope_fits_role check (
		(role = 'official' and agency_id is not null and unit_id is null)
		or (role = 'analyst' and agency_id is null)
		or (role in ('moderator', 'admin') and agency_id is null and unit_id is null))`.execute(db);
	await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
	await sql`alter table user_role add constraint user_role_role_check
		check (role in ('official', 'moderator', 'analyst', 'admin'))`.execute(db);
}
