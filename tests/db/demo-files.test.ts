import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileStore } from '$lib/server/files/database-store';
import { checkFiles } from '$lib/server/files/migrate';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureDemoData } from '../../seeds/demo';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';

// Read by config() on first use, which nothing in this file has made yet.
process.env.FILE_STORE = 'database';

describe.each(backends)('the demo files with FILE_STORE=database on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
	});
	afterAll(async () => t?.close());

	it('go to the database with the rows that name them, so every server serves them', async () => {
		expect(await ensureDemoData(t.db)).toBe(true);
		const named = await t.db.selectFrom('disclosure_file').select('sha256').distinct().execute();
		expect(named.length).toBeGreaterThanOrEqual(3);
		const blobs = await t.db.selectFrom('file_blob').select('sha256').execute();
		expect(blobs.map((b) => b.sha256).sort()).toEqual(named.map((n) => n.sha256).sort());
		const report = await checkFiles(t.db, databaseFileStore(t.db));
		expect(report).toMatchObject({ present: named.length, missing: [], differs: [] });
		// the whole demo on the embedded database: 15-30 s alone, over 70 s on a busy two-core machine
	}, 300_000);
});
