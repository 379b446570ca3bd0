import { sql, type Kysely } from 'kysely';

// Questions and answers ("hỏi đáp"). A citizen asks without an account; a moderator accepts,
// routes (to one agency, or several in turn), merges, asks for more detail or rejects; the
// agency's officials draft a reply and an approver of that agency publishes it.
//
// Privacy by construction: the asker's name and contact live in question_contact, read only
// by the people handling the case and deleted at purge_after. The public sees public_title and
// public_body (the moderator's redacted copy), the replies, the agency, dates and the rating.
// The private link's token is kept only as its SHA-256.

const TOPICS: [string, string, string][] = [
	['dat-dai', 'Đất đai', 'Land'],
	['xay-dung', 'Xây dựng, nhà ở', 'Construction and housing'],
	['ho-tich', 'Hộ tịch, cư trú', 'Civil status and residence'],
	['thue-phi', 'Thuế, phí, lệ phí', 'Taxes, fees and charges'],
	['dau-tu-kinh-doanh', 'Đầu tư, kinh doanh', 'Investment and business'],
	['lao-dong', 'Lao động, việc làm', 'Labour and employment'],
	['chinh-sach-xa-hoi', 'Chính sách xã hội', 'Social policy'],
	['giao-duc', 'Giáo dục', 'Education'],
	['y-te', 'Y tế, bảo hiểm', 'Health and insurance'],
	['giao-thong', 'Giao thông', 'Transport'],
	['moi-truong', 'Môi trường', 'Environment'],
	['thu-tuc-hanh-chinh', 'Thủ tục hành chính', 'Administrative procedures'],
	['khac', 'Lĩnh vực khác', 'Other']
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// An approver of an agency publishes its replies (four eyes: never their own draft).
	await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
	await sql`alter table user_role add constraint user_role_role_check
		check (role in ('official', 'approver', 'moderator', 'analyst', 'admin', 'interviewer', 'microdata'))`.execute(
		db
	);
	await sql`alter table user_role drop constraint user_role_scope_fits_role`.execute(db);
	await sql`alter table user_role add constraint user_role_scope_fits_role check (
		(role in ('official', 'approver') and agency_id is not null and unit_id is null)
		or (role in ('analyst', 'interviewer', 'microdata') and agency_id is null)
		or (role in ('moderator', 'admin') and agency_id is null and unit_id is null))`.execute(db);

	await db.schema
		.createTable('question_topic')
		.addColumn('code', 'text', (c) => c.primaryKey())
		.addColumn('name_vi', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.execute();
	await db
		.insertInto('question_topic')
		.values(TOPICS.map(([code, vi, en], i) => ({ code, name_vi: vi, name_en: en, position: i })))
		.execute();

	await db.schema
		.createTable('question')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('access_hash', 'text', (c) => c.notNull().unique())
		.addColumn('topic_code', 'text', (c) => c.notNull().references('question_topic.code'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		.addColumn('requested_agency_id', 'integer', (c) => c.references('agency.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('public_title', 'text', (c) => c.notNull())
		.addColumn('public_body', 'text', (c) => c.notNull())
		// public text and published replies, lower-cased and stripped of diacritics (đ -> d)
		.addColumn('search_folded', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('search', sql`tsvector`, (c) =>
			c.generatedAlwaysAs(sql`to_tsvector('simple', search_folded)`).stored()
		)
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.check(
					sql`status in ('pending', 'needs_info', 'rejected', 'merged', 'assigned', 'answered')`
				)
		)
		.addColumn('agency_id', 'integer', (c) => c.references('agency.id'))
		.addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		// the legal clock: started on this (Việt Nam) date, due on due_on, paused since paused_since
		.addColumn('clock_start', 'date', (c) => c.notNull())
		.addColumn('due_on', 'date')
		.addColumn('paused_since', 'date')
		.addColumn('accepted_at', 'timestamptz')
		.addColumn('answered_at', 'timestamptz')
		.addColumn('rejection_reason', 'text')
		.addColumn('info_request', 'text')
		.addColumn('merged_into_id', 'integer', (c) => c.references('question.id'))
		.addColumn('reopened_at', 'timestamptz')
		.addColumn('rating', 'text', (c) => c.check(sql`rating in ('satisfied', 'unsatisfied')`))
		.addColumn('rating_comment', 'text')
		.addColumn('rated_at', 'timestamptz')
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint(
			'question_status_fits',
			sql`(status <> 'rejected' or rejection_reason is not null)
			and (status <> 'merged' or merged_into_id is not null)
			and (status not in ('assigned', 'answered') or agency_id is not null)`
		)
		.execute();
	await db.schema
		.createIndex('question_search')
		.on('question')
		.using('gin')
		.column('search')
		.execute();
	await db.schema
		.createIndex('question_public_list')
		.on('question')
		.columns(['status', 'answered_at', 'accepted_at'])
		.execute();
	await db.schema
		.createIndex('question_agency')
		.on('question')
		.columns(['agency_id', 'status'])
		.execute();

	await db.schema
		.createTable('question_contact')
		.addColumn('question_id', 'integer', (c) =>
			c.primaryKey().references('question.id').onDelete('cascade')
		)
		.addColumn('name', 'text')
		.addColumn('email', 'text')
		.addColumn('phone', 'text')
		.addColumn('consent_at', 'timestamptz')
		.addColumn('purge_after', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint(
			'question_contact_consented',
			sql`(email is null and phone is null) or consent_at is not null`
		)
		.execute();
	await db.schema
		.createIndex('question_contact_purge')
		.on('question_contact')
		.column('purge_after')
		.execute();

	// Pauses of the legal clock (waiting for the citizen), closed ones only.
	await db.schema
		.createTable('question_pause')
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('question.id').onDelete('cascade')
		)
		.addColumn('from_day', 'date', (c) => c.notNull())
		.addColumn('to_day', 'date', (c) => c.notNull())
		.addPrimaryKeyConstraint('question_pause_pk', ['question_id', 'from_day'])
		.execute();

	// Which agency handles the question, in which order, and how it went: the source of the
	// public per-agency statistics (received, answered, on time).
	await db.schema
		.createTable('question_assignment')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('question.id').onDelete('cascade')
		)
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('state', 'text', (c) =>
			c.notNull().check(sql`state in ('queued', 'active', 'answered', 'transferred')`)
		)
		.addColumn('assigned_at', 'timestamptz')
		.addColumn('due_on', 'date')
		.addColumn('answered_at', 'timestamptz')
		.addColumn('on_time', 'boolean')
		.execute();
	await sql`create unique index question_assignment_one_active on question_assignment (question_id) where state = 'active'`.execute(
		db
	);
	await db.schema
		.createIndex('question_assignment_agency')
		.on('question_assignment')
		.columns(['agency_id', 'state'])
		.execute();

	await db.schema
		.createTable('question_reply')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('question.id').onDelete('cascade')
		)
		.addColumn('assignment_id', 'integer', (c) => c.notNull().references('question_assignment.id'))
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		.addColumn('body_md', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('draft', 'submitted', 'published')`)
		)
		.addColumn('author_id', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('approved_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('published_at', 'timestamptz')
		.addCheckConstraint(
			'question_reply_four_eyes',
			sql`status <> 'published' or (approved_by is not null and approved_by <> author_id and published_at is not null)`
		)
		.execute();
	await sql`create unique index question_reply_one_open on question_reply (assignment_id) where status <> 'published'`.execute(
		db
	);

	// The case's timeline; internal rows (notes, drafts) are never shown outside the staff pages.
	await db.schema
		.createTable('question_event')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('question.id').onDelete('cascade')
		)
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('actor_id', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('agency_id', 'integer', (c) => c.references('agency.id'))
		.addColumn('note', 'text')
		.addColumn('internal', 'boolean', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('question_event_question')
		.on('question_event')
		.columns(['question_id', 'id'])
		.execute();

	// Uploaded files, content-addressed (the bytes live in the file store, see src/lib/server/files).
	await db.schema
		.createTable('stored_file')
		.addColumn('sha256', 'text', (c) => c.primaryKey().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
		.addColumn('size', 'integer', (c) => c.notNull())
		.addColumn('mime', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	// reply_id null: the citizen's attachment, seen only by the asker and the people handling it.
	await db.schema
		.createTable('question_file')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('question.id').onDelete('cascade')
		)
		.addColumn('reply_id', 'integer', (c) => c.references('question_reply.id').onDelete('cascade'))
		.addColumn('sha256', 'text', (c) => c.notNull().references('stored_file.sha256'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('question_file_question')
		.on('question_file')
		.column('question_id')
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'question_file',
		'stored_file',
		'question_event',
		'question_reply',
		'question_assignment',
		'question_pause',
		'question_contact',
		'question',
		'question_topic'
	]) {
		await db.schema.dropTable(table).execute();
	}
	await sql`delete from user_role where role = 'approver'`.execute(db);
	await sql`alter table user_role drop constraint user_role_scope_fits_role`.execute(db);
	await sql`alter table user_role add constraint user_role_scope_fits_role check (
		(role = 'official' and agency_id is not null and unit_id is null)
		or (role in ('analyst', 'interviewer', 'microdata') and agency_id is null)
		or (role in ('moderator', 'admin') and agency_id is null and unit_id is null))`.execute(db);
	await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
	await sql`alter table user_role add constraint user_role_role_check
		check (role in ('official', 'moderator', 'analyst', 'admin', 'interviewer', 'microdata'))`.execute(
		db
	);
}
