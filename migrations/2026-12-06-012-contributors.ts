import { sql, type Kysely } from 'kysely';

// Four eyes means the approver is nobody who wrote or changed what they publish, not only "not
// the last one who saved it". Every person who created, saved or changed the files of a reply
// draft or a disclosure version is kept here; publishing checks the approver is not among them
// (and the database refuses it as well). A correction's version inherits the contributors of
// the version it copies: their text is in it.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('question_reply_contributor')
		.addColumn('reply_id', 'integer', (c) =>
			c.notNull().references('question_reply.id').onDelete('cascade')
		)
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('first_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('question_reply_contributor_pk', ['reply_id', 'user_id'])
		.execute();
	await db.schema
		.createTable('disclosure_version_contributor')
		.addColumn('version_id', 'integer', (c) =>
			c.notNull().references('disclosure_version.id').onDelete('cascade')
		)
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('first_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('disclosure_version_contributor_pk', ['version_id', 'user_id'])
		.execute();

	// What is known of the past: each row's last author, and who saved or submitted it according
	// to the case timeline (questions) or the audit log (disclosures).
	await sql`insert into question_reply_contributor (reply_id, user_id)
		select id, author_id from question_reply
		union
		select r.id, e.actor_id from question_reply r
		join question_event e on e.question_id = r.question_id and e.agency_id = r.agency_id
			and e.kind in ('draft_saved', 'submitted') and e.actor_id is not null
			and e.at >= r.created_at and (r.published_at is null or e.at <= r.published_at)
		on conflict do nothing`.execute(db);
	await sql`insert into disclosure_version_contributor (version_id, user_id)
		select id, author_id from disclosure_version
		union
		select w.id, a.actor_user_id from disclosure_version w
		join disclosure_version v on v.disclosure_id = w.disclosure_id and v.number <= w.number
		join audit_log a on a.entity_type = 'disclosure' and a.entity_id = v.disclosure_id::text
			and a.action in ('disclosure.create', 'disclosure.save', 'disclosure.submit',
				'disclosure.remove_file', 'disclosure.correct')
			and coalesce((a.details->>'version')::int, 1) = v.number
			and a.actor_user_id is not null
		on conflict do nothing`.execute(db);

	// The database refuses a publication by a contributor too, whatever the code above it does.
	await sql`create function question_reply_four_eyes() returns trigger language plpgsql as $$
		begin
			if new.status = 'published' and old.status <> 'published' and exists (
				select 1 from question_reply_contributor
				where reply_id = new.id and user_id = new.approved_by
			) then
				raise exception 'question_reply % approved by one of its contributors', new.id
					using errcode = 'check_violation';
			end if;
			return new;
		end
		$$`.execute(db);
	await sql`create trigger question_reply_four_eyes before update on question_reply
		for each row execute function question_reply_four_eyes()`.execute(db);
	await sql`create function disclosure_version_four_eyes() returns trigger language plpgsql as $$
		begin
			if new.status = 'published' and old.status <> 'published' and exists (
				select 1 from disclosure_version_contributor
				where version_id = new.id and user_id = new.approved_by
			) then
				raise exception 'disclosure_version % approved by one of its contributors', new.id
					using errcode = 'check_violation';
			end if;
			return new;
		end
		$$`.execute(db);
	await sql`create trigger disclosure_version_four_eyes before update on disclosure_version
		for each row execute function disclosure_version_four_eyes()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop trigger disclosure_version_four_eyes on disclosure_version`.execute(db);
	await sql`drop function disclosure_version_four_eyes()`.execute(db);
	await sql`drop trigger question_reply_four_eyes on question_reply`.execute(db);
	await sql`drop function question_reply_four_eyes()`.execute(db);
	await db.schema.dropTable('disclosure_version_contributor').execute();
	await db.schema.dropTable('question_reply_contributor').execute();
}
