import { sql, type Kysely } from 'kysely';

// The bytes of uploaded files kept in the database (FILE_STORE=database, the default with
// DATABASE_URL), so that every app server serves every file and one backup holds them all.
// Content-addressed like stored_file: a blob is written once per SHA-256, in chunks of at most
// chunk_size bytes numbered from 0, blob row and chunks in one transaction so that a reader never
// sees half a file. No foreign key to stored_file: a file is stored before the row that records
// it (a file without a row is harmless, a row without its file is not).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('file_blob')
		.addColumn('sha256', 'text', (c) => c.primaryKey().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
		.addColumn('size', 'integer', (c) => c.notNull().check(sql`size >= 0`))
		.addColumn('chunk_size', 'integer', (c) => c.notNull().check(sql`chunk_size > 0`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createTable('file_chunk')
		.addColumn('sha256', 'text', (c) =>
			c.notNull().references('file_blob.sha256').onDelete('cascade')
		)
		.addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 0`))
		.addColumn('bytes', 'bytea', (c) => c.notNull())
		.addPrimaryKeyConstraint('file_chunk_pkey', ['sha256', 'seq'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('file_chunk').execute();
	await db.schema.dropTable('file_blob').execute();
}
