import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { aggregateQueued } from '$lib/server/analytics/aggregate';
import { waveResults } from '$lib/server/analytics/results';
import { refreshSnapshots } from '$lib/server/analytics/snapshot';
import { openDb, type Opened } from '$lib/server/db';
import { migrateToLatest } from '$lib/server/db/migrate';
import { LAG_SQL, openReplica, type Replica } from '$lib/server/db/replica';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import { queryOnce, type PgCluster } from '../../scripts/lib/pg-cluster.js';
import { startTestCluster } from './cluster';
import { randomAnswers } from './responses';

const RETRY_AFTER_MS = 1000;

/** Scans of the analytics tables the replica has counted (its own statistics, not the app's). */
async function analyticsScans(url: string): Promise<number> {
	const [{ scans }] = (await queryOnce(
		url,
		`select coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)::int as scans
		from pg_stat_user_tables where relname like 'analytics_%'`
	)) as { scans: number }[];
	return scans;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000) {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

// PostgreSQL only: a real streaming replica of a real primary (scripts/lib/pg-cluster.js).
describe.runIf(process.env.TEST_DATABASE_URL)('analytics reads on a read replica', () => {
	let cluster: PgCluster;
	let primary: Opened;
	let replica: Replica;
	let wave: { id: number; versionId: number };

	beforeAll(async () => {
		cluster = await startTestCluster();
		primary = openDb({ databaseUrl: cluster.primaryUrl, pgliteDir: 'memory://', poolMax: 4 });
		const db = primary.db;
		await migrateToLatest(db);
		await ensureAdminUnits(db);
		await ensureInstruments(db);
		const version = (await latestPublished(db, 'sipas'))!;
		const communes = (
			await db
				.selectFrom('admin_unit')
				.select('id')
				.where('level', '=', 'commune')
				.where('valid_to', 'is', null)
				.orderBy('code')
				.limit(2)
				.execute()
		).map((c) => c.id);
		const id = await createWave(
			db,
			{
				slug: 'replica',
				versionId: version.id,
				title: { vi: 'Thử', en: 'Test' },
				unitIds: communes
			},
			null
		);
		await setWaveStatus(db, id, 'open', null);
		wave = { id, versionId: version.id };
		for (let i = 0; i < 30; i++)
			await submitResponse(db, {
				waveId: id,
				versionId: version.id,
				unitId: communes[i % 2]!,
				mode: 'web',
				submitKey: `replica-${i}-0123456789`,
				answers: randomAnswers(version.spec, i + 3)
			});
		while ((await aggregateQueued(db, 100)) > 0);
		expect(await refreshSnapshots(db)).toEqual([id]);
		replica = openReplica(primary.pool!, {
			readUrl: cluster.replicaUrl,
			poolMax: 3,
			retryAfterMs: RETRY_AFTER_MS
		});
		// the replica has replayed the snapshot
		await until('the replica catches up', async () => {
			const [{ lag }] = (await queryOnce(cluster.replicaUrl, LAG_SQL)) as { lag: number }[];
			const [{ n }] = (await queryOnce(
				cluster.replicaUrl,
				`select count(*)::int as n from analytics_snapshot where wave_id = ${id}`
			)) as { n: number }[];
			return lag === 0 && n === 1 ? true : undefined;
		});
	});
	afterAll(async () => {
		await replica?.close();
		await primary?.db.destroy();
		await cluster?.stop();
	});

	it('reads the results on the replica, as its own statistics show, and finds the same figures', async () => {
		const before = await analyticsScans(cluster.replicaUrl);
		const served = { ...replica.served };
		const onReplica = await waveResults(replica.db, wave);
		const onPrimary = await waveResults(primary.db, wave);
		expect(onReplica).toEqual(onPrimary);
		expect(onReplica.respondents).toBe(30);
		expect(replica.served.replica).toBeGreaterThan(served.replica);
		expect(replica.served.primary).toBe(served.primary);
		// a backend reports its scans some time after it goes idle (up to about ten seconds)
		await until('the replica counts the scans', async () =>
			(await analyticsScans(cluster.replicaUrl)) > before ? true : undefined
		);
		expect(await replica.lag()).toBe(0);
	});

	it('falls back to the primary at once when the replica stops, and back when it returns', async () => {
		const expected = await waveResults(primary.db, wave);
		await cluster.stopReplica();
		try {
			const served = replica.served.primary;
			const started = Date.now();
			// the pool's idle replica connections are gone, and new ones are refused
			expect(await waveResults(replica.db, wave)).toEqual(expected);
			expect(Date.now() - started).toBeLessThan(5000);
			expect(replica.circuit.down).toBe(true);
			expect(replica.served.primary).toBeGreaterThan(served);
			expect(await waveResults(replica.db, wave)).toEqual(expected);
			expect(await replica.lag()).toBeNull();
		} finally {
			await cluster.startReplica();
		}
		await new Promise((r) => setTimeout(r, RETRY_AFTER_MS));
		const served = replica.served.replica;
		expect(await waveResults(replica.db, wave)).toEqual(expected);
		expect(replica.circuit.down).toBe(false);
		expect(replica.served.replica).toBeGreaterThan(served);
	});
});
