import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '$lib/server/db/unavailable';
import { emptyDb, type TestDb } from './harness';

// PostgreSQL only: a server that drops a connection while a request holds it (a restart, a
// failover, an administrator). PGlite has no connections to lose.
describe.runIf(process.env.TEST_DATABASE_URL)('a connection lost while in use', () => {
	let t: TestDb;
	beforeAll(async () => {
		t = await emptyDb('postgres');
	});
	afterAll(async () => {
		await t?.close();
	});

	it('fails only its own query, as "unavailable", and the next query gets a new connection', async () => {
		const [{ db_name }] = (
			await sql<{ db_name: string }>`select current_database() as db_name`.execute(t.db)
		).rows;
		// its failure is caught at once: an unhandled rejection would fail the run on its own
		const running = sql`select pg_sleep(600)`.execute(t.db).then(
			() => undefined,
			(e: unknown) => e
		);
		const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
		await admin.connect();
		try {
			// wait until the sleeping query is running (however busy the server), then end its
			// backend as a restart would
			const deadline = Date.now() + 30_000;
			for (;;) {
				const { rowCount } = await admin.query(
					`select pg_terminate_backend(pid) from pg_stat_activity
					where datname = $1 and query like 'select pg_sleep%' and pid <> pg_backend_pid()`,
					[db_name]
				);
				if (rowCount) break;
				if (Date.now() > deadline) throw new Error('the sleeping query never showed up');
				await new Promise((r) => setTimeout(r, 50));
			}
		} finally {
			await admin.end();
		}
		const failure = await running;
		expect(failure).toBeInstanceOf(Error);
		expect(isDatabaseUnavailable(failure)).toBe(true);
		// the process is still here (an unhandled 'error' event would have ended it) and so is the pool
		const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(t.db);
		expect(rows).toEqual([{ ok: 1 }]);
	});
});
