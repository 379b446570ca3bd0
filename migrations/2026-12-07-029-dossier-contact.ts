import { sql, type Kysely } from 'kysely';

// The applicant's contact, when the one-stop system's export carries it (the e-mail address or
// phone number given on the application for notices about the dossier), kept only to send the
// dossier's approved apology letter and deleted when its retention runs out. Ratings are never
// linked to a dossier, so a contact says nothing of what its dossier's rating was. The outbox
// gains a third kind of recipient: a dossier's applicant.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('dossier_contact')
		.addColumn('dossier_id', 'integer', (c) =>
			c.primaryKey().references('dossier.id').onDelete('cascade')
		)
		.addColumn('email', 'text')
		.addColumn('phone', 'text')
		.addColumn('purge_after', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint('dossier_contact_some', sql`email is not null or phone is not null`)
		.execute();
	await db.schema
		.createIndex('dossier_contact_purge')
		.on('dossier_contact')
		.column('purge_after')
		.execute();

	await db.schema
		.alterTable('notification')
		.addColumn('dossier_id', 'integer', (c) => c.references('dossier.id').onDelete('cascade'))
		.execute();
	await sql`alter table notification drop constraint notification_recipient`.execute(db);
	await sql`alter table notification add constraint notification_recipient
		check (num_nonnulls(question_id, user_id, dossier_id) = 1)`.execute(db);
	await db.schema
		.createIndex('notification_dossier')
		.on('notification')
		.column('dossier_id')
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.deleteFrom('notification').where('dossier_id', 'is not', null).execute();
	await sql`alter table notification drop constraint notification_recipient`.execute(db);
	await sql`alter table notification add constraint notification_recipient
		check ((question_id is null) <> (user_id is null))`.execute(db);
	await db.schema.alterTable('notification').dropColumn('dossier_id').execute();
	await db.schema.dropTable('dossier_contact').execute();
}
