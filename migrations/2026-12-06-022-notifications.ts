import { sql, type Kysely } from 'kysely';

// The outbox of notifications (src/lib/server/notify). A notification is written in the same
// transaction as the step that causes it and names who it is for (a question's asker, a staff
// account), never an address: the address is read when the message is sent, so a contact deleted
// at the end of its retention, or a stop asked for, means nothing more is sent. One delivery row
// per channel carries the sending state; the unique pair is what keeps it to one delivery.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('notification')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('question_id', 'integer', (c) => c.references('question.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.references('app_user.id').onDelete('cascade'))
		.addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		// a scan that runs on every server (deadline tomorrow, digest of the day) writes each once
		.addColumn('dedupe_key', 'text', (c) => c.unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('notification_recipient', sql`(question_id is null) <> (user_id is null)`)
		.execute();

	await db.schema
		.createTable('notification_delivery')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('notification_id', 'bigint', (c) =>
			c.notNull().references('notification.id').onDelete('cascade')
		)
		.addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'webhook')`))
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('pending')
				.check(sql`status in ('pending', 'sent', 'dropped', 'dead')`)
		)
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// a worker's claim: until then no other worker takes it; a worker killed mid-send lets it lapse
		.addColumn('locked_until', 'timestamptz')
		.addColumn('last_error', 'text')
		.addColumn('done_at', 'timestamptz')
		.addUniqueConstraint('notification_delivery_once', ['notification_id', 'channel'])
		.execute();
	await db.schema
		.createIndex('notification_delivery_due')
		.on('notification_delivery')
		.column('next_at')
		.where(sql.ref('status'), '=', 'pending')
		.execute();
	await db.schema
		.createIndex('notification_delivery_dead')
		.on('notification_delivery')
		.column('done_at')
		.where(sql.ref('status'), '=', 'dead')
		.execute();
	await db.schema
		.createIndex('notification_question')
		.on('notification')
		.column('question_id')
		.execute();
	await db.schema.createIndex('notification_user').on('notification').column('user_id').execute();

	// The asker's side: the language they wrote in, their private link sealed with the server's key
	// (messages link to it; deleted with the contact), and a stop asked for from a message.
	await db.schema
		.alterTable('question_contact')
		.addColumn('lang', 'text', (c) =>
			c
				.notNull()
				.defaultTo('vi')
				.check(sql`lang in ('vi', 'en')`)
		)
		.execute();
	await db.schema.alterTable('question_contact').addColumn('link_sealed', 'text').execute();
	await db.schema.alterTable('question_contact').addColumn('stopped_at', 'timestamptz').execute();

	// The staff's side: each step as it happens, a daily digest at the hour they choose, or nothing.
	await db.schema
		.alterTable('app_user')
		.addColumn('notify_mode', 'text', (c) =>
			c
				.notNull()
				.defaultTo('immediate')
				.check(sql`notify_mode in ('immediate', 'digest', 'off')`)
		)
		.execute();
	await db.schema
		.alterTable('app_user')
		.addColumn('digest_hour', 'smallint', (c) =>
			c
				.notNull()
				.defaultTo(7)
				.check(sql`digest_hour between 0 and 23`)
		)
		.execute();
	await db.schema
		.alterTable('app_user')
		.addColumn('lang', 'text', (c) =>
			c
				.notNull()
				.defaultTo('vi')
				.check(sql`lang in ('vi', 'en')`)
		)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const column of ['notify_mode', 'digest_hour', 'lang'])
		await db.schema.alterTable('app_user').dropColumn(column).execute();
	for (const column of ['lang', 'link_sealed', 'stopped_at'])
		await db.schema.alterTable('question_contact').dropColumn(column).execute();
	await db.schema.dropTable('notification_delivery').execute();
	await db.schema.dropTable('notification').execute();
}
