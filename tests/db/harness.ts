import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDb, type Db, type DbBackend } from '$lib/server/db';
import { migrateToLatest } from '$lib/server/db/migrate';

/**
 * Database tests run on PGlite always and on PostgreSQL when TEST_DATABASE_URL is set. CI must
 * set it: there a missing server is a failure, never a silent skip.
 */
export const backends: DbBackend[] = process.env.TEST_DATABASE_URL
	? ['pglite', 'postgres']
	: ['pglite'];

if (process.env.CI && !process.env.TEST_DATABASE_URL) {
	throw new Error(
		'CI is set but TEST_DATABASE_URL is not: start PostgreSQL and set TEST_DATABASE_URL=postgres://127.0.0.1:5432/test (see .ci/run)'
	);
}

export type TestDb = {
	db: Db;
	backend: DbBackend;
	/** PostgreSQL: the test database's address, for a second pool (a second app server) */
	url?: string;
	close: () => Promise<void>;
};

/**
 * An empty database of its own for one test file: a new in-memory PGlite, or a new database on
 * the PostgreSQL server (created from TEST_DATABASE_URL and dropped afterwards).
 */
export async function emptyDb(backend: DbBackend): Promise<TestDb> {
	if (backend === 'pglite') {
		const { db } = openDb({ pgliteDir: 'memory://' });
		return { db, backend, close: () => db.destroy() };
	}
	const adminUrl = process.env.TEST_DATABASE_URL!;
	const name = `cv_test_${randomBytes(6).toString('hex')}`;
	const admin = new Kysely<unknown>({
		dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) })
	});
	try {
		await sql`create database ${sql.id(name)}`.execute(admin);
	} catch (e) {
		await admin.destroy();
		throw new Error(
			`Cannot create a test database on TEST_DATABASE_URL (${adminUrl}): ${String(e)}`,
			{ cause: e }
		);
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const { db } = openDb({ databaseUrl: url.toString(), pgliteDir: 'memory://', poolMax: 4 });
	return {
		db,
		backend,
		url: url.toString(),
		close: async () => {
			await db.destroy();
			await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
			await admin.destroy();
		}
	};
}

/** An empty database with every migration applied. */
export async function migratedDb(backend: DbBackend): Promise<TestDb> {
	const t = await emptyDb(backend);
	await migrateToLatest(t.db);
	return t;
}
