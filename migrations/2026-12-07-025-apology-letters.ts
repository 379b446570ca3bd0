import { sql, type Kysely } from 'kysely';

// Apology letters (thư xin lỗi) for late dossiers and for late answers to citizens' questions: one
// letter per late dossier or per late question turn, drafted by an official of the agency from a
// template with the facts, approved by an approver of the agency who did not write it (four
// eyes), then printed and, for a question whose asker left a contact, sent through the outbox.
// The letter names neither the dossier's code (kept only as an HMAC) nor the citizen: the
// addressee is what the official types, on paper.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('apology_letter')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('dossier_id', 'integer', (c) => c.unique().references('dossier.id'))
		.addColumn('assignment_id', 'integer', (c) => c.unique().references('question_assignment.id'))
		.addColumn('addressee', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('signer_title', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('signer_name', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('state', 'text', (c) =>
			c
				.notNull()
				.defaultTo('draft')
				.check(sql`state in ('draft', 'approved', 'sent')`)
		)
		.addColumn('drafted_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('drafted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// the last one to change the text: they may not approve it either
		.addColumn('updated_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('approved_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('approved_at', 'timestamptz')
		.addColumn('printed_at', 'timestamptz')
		.addColumn('sent_at', 'timestamptz')
		.addCheckConstraint(
			'apology_letter_one_subject',
			sql`(dossier_id is null) <> (assignment_id is null)`
		)
		.addCheckConstraint('apology_letter_approved', sql`state = 'draft' or approved_at is not null`)
		.execute();
	await db.schema
		.createIndex('apology_letter_agency_state')
		.on('apology_letter')
		.columns(['agency_id', 'state'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('apology_letter').execute();
}
