import { sql, type Kysely } from 'kysely';

// Migrations are frozen in time: they take Kysely<any>, never the app's Database type.
// SQL stays within PostgreSQL 15 so that PGlite (PG 18) and Debian's PG 15 run the same files.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('app_meta')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('reference_dataset')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('licence', 'text', (c) => c.notNull())
		.addColumn('row_count', 'integer', (c) => c.notNull())
		.addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// Administrative units are versioned: the same code can name different units in different
	// periods, so a unit is identified by (code, valid_from). valid_to is exclusive; null = current.
	// A null valid_from means "in force before the records begin" (the pre-2025 catalogue).
	await db.schema
		.createTable('admin_unit')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('level', 'text', (c) =>
			c.notNull().check(sql`level in ('province', 'district', 'commune')`)
		)
		.addColumn('parent_id', 'integer', (c) => c.references('admin_unit.id'))
		.addColumn('valid_from', 'date')
		.addColumn('valid_to', 'date')
		.addCheckConstraint(
			'admin_unit_period_order',
			sql`valid_from is null or valid_to is null or valid_from < valid_to`
		)
		.execute();
	await sql`create unique index admin_unit_code_period on admin_unit (code, coalesce(valid_from, '-infinity'::date))`.execute(
		db
	);
	await db.schema.createIndex('admin_unit_parent').on('admin_unit').column('parent_id').execute();

	await db.schema
		.createTable('admin_unit_succession')
		.addColumn('old_unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		.addColumn('new_unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		// true when the whole old unit went into this one new unit; false for each part of a split
		.addColumn('whole', 'boolean', (c) => c.notNull())
		.addPrimaryKeyConstraint('admin_unit_succession_pk', ['old_unit_id', 'new_unit_id'])
		.execute();
	await db.schema
		.createIndex('admin_unit_succession_new')
		.on('admin_unit_succession')
		.column('new_unit_id')
		.execute();

	await db.schema
		.createTable('agency')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name_vi', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) =>
			c
				.notNull()
				.check(
					sql`kind in ('province_committee', 'department', 'commune_committee', 'one_stop_shop', 'other')`
				)
		)
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		.addColumn('parent_agency_id', 'integer', (c) => c.references('agency.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('agency_unit').on('agency').column('unit_id').execute();

	await db.schema
		.createTable('app_user')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		// stored lower-cased and trimmed; see auth/users.ts
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('disabled_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// A grant of one role. Officials act for one agency; analysts may be limited to a unit
	// (and everything below it); a null unit_id on an analyst grant means every unit.
	await db.schema
		.createTable('user_role')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('official', 'moderator', 'analyst', 'admin')`)
		)
		.addColumn('agency_id', 'integer', (c) => c.references('agency.id'))
		.addColumn('unit_id', 'integer', (c) => c.references('admin_unit.id'))
		.addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('granted_by', 'uuid', (c) => c.references('app_user.id'))
		.addCheckConstraint(
			'user_role_scope_fits_role',
			sql`(role = 'official' and agency_id is not null and unit_id is null)
			 or (role = 'analyst' and agency_id is null)
			 or (role in ('moderator', 'admin') and agency_id is null and unit_id is null)`
		)
		.execute();
	await sql`create unique index user_role_unique on user_role (user_id, role, coalesce(agency_id, 0), coalesce(unit_id, 0))`.execute(
		db
	);

	await db.schema
		.createTable('auth_session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		// SHA-256 of the secret half of the token; the token itself is never stored
		.addColumn('secret_hash', 'bytea', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_verified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('auth_session_user').on('auth_session').column('user_id').execute();

	// Fixed-window counters; keys are hashes, never raw addresses or e-mails.
	await db.schema
		.createTable('rate_limit')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('window_start', 'timestamptz', (c) => c.notNull())
		.addColumn('hits', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('actor_user_id', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'text')
		.addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.execute();
	await db.schema
		.createIndex('audit_log_entity')
		.on('audit_log')
		.columns(['entity_type', 'entity_id'])
		.execute();
	// Append-only, enforced by the database rather than by convention.
	await sql`
		create function audit_log_is_append_only() returns trigger language plpgsql as $$
		begin
			raise exception 'audit_log is append-only';
		end
		$$`.execute(db);
	await sql`create trigger audit_log_no_update before update or delete on audit_log
		for each row execute function audit_log_is_append_only()`.execute(db);
	await sql`create trigger audit_log_no_truncate before truncate on audit_log
		for each statement execute function audit_log_is_append_only()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'audit_log',
		'rate_limit',
		'auth_session',
		'user_role',
		'app_user',
		'agency',
		'admin_unit_succession',
		'admin_unit',
		'reference_dataset',
		'app_meta'
	]) {
		await db.schema.dropTable(table).execute();
	}
	await sql`drop function audit_log_is_append_only()`.execute(db);
}
