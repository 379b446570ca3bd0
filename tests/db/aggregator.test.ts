import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import {
	aggregateQueued,
	aggregatorTally,
	recomputeWave,
	verifyWave
} from '$lib/server/analytics/aggregate';
import { startAggregator } from '$lib/server/analytics/worker';
import { openDb, type Db } from '$lib/server/db';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { backends, migratedDb, type TestDb } from './harness';
import { randomAnswers } from './responses';

/**
 * Several app servers each run an aggregator on the same queue: one works at a time, none works
 * out sums another then stores, and a recompute or a check of a wave reads it page by page.
 */
describe.each(backends)('one aggregator at a time on %s', (backend) => {
	let t: TestDb;
	/** a second app server: its own connection pool on PostgreSQL; PGlite has one process */
	let other: Db;
	let waveId: number;
	let versionId: number;
	let spec: InstrumentSpec;
	let communes: number[];
	let submitted = 0;
	// the servers are PostgreSQL's case; on PGlite a smaller burst shows the same in one process
	const BURST = backend === 'postgres' ? 2000 : 400;
	const MORE = BURST / 4;

	/** `count` responses sent `parallel` at a time, spread over both servers. */
	async function burst(count: number, parallel = 8) {
		const from = submitted;
		submitted += count;
		let next = from;
		const sender = async () => {
			for (let i = next++; i < from + count; i = next++) {
				const result = await submitResponse(i % 2 ? other : t.db, {
					waveId,
					versionId,
					unitId: communes[i % communes.length]!,
					mode: 'web',
					submitKey: `aggregator-${i}-0123456789`,
					answers: randomAnswers(spec, i + 1)
				});
				expect(result.ok).toBe(true);
			}
		};
		await Promise.all(Array.from({ length: parallel }, sender));
	}

	const waveCount = async () =>
		(
			await t.db
				.selectFrom('analytics_cell')
				.select('n')
				.where('wave_id', '=', waveId)
				.where('grouping', '=', '')
				.where('measure', '=', '#')
				.executeTakeFirst()
		)?.n ?? 0;

	beforeAll(async () => {
		t = await migratedDb(backend);
		other = t.url ? openDb({ databaseUrl: t.url, pgliteDir: 'memory://', poolMax: 4 }).db : t.db;
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas'))!;
		versionId = version.id;
		spec = version.spec;
		const units = await t.db
			.selectFrom('admin_unit')
			.select('id')
			.where('code', 'in', ['00913', '00916'])
			.where('valid_to', 'is', null)
			.execute();
		communes = units.map((u) => u.id);
		waveId = await createWave(
			t.db,
			{
				slug: 'aggregator',
				versionId,
				title: { vi: 'Thử', en: 'Test' },
				unitIds: communes,
				// no snapshot while the aggregators run: these tests read the working sums
				resultsMode: 'after_close'
			},
			null
		);
		await setWaveStatus(t.db, waveId, 'open', null);
	}, 120_000);
	afterAll(async () => {
		if (other && other !== t.db) await other.destroy();
		await t?.close();
	});

	it('two servers aggregating a burst of responses (2,000 on PostgreSQL) count each once and throw no work away', async () => {
		const before = aggregatorTally();
		const aggregators = [startAggregator(t.db, 5), startAggregator(other, 5)];
		// and two more taking small batches as fast as they can, to make them meet
		let sending = true;
		const eager = (db: Db) =>
			(async () => {
				while (sending)
					if ((await aggregateQueued(db, 50)) === 0) await new Promise((r) => setTimeout(r, 1));
			})();
		const racers = [eager(t.db), eager(other)];
		try {
			await burst(BURST);
		} finally {
			sending = false;
			await Promise.all(racers);
		}
		try {
			await expect.poll(waveCount, { timeout: 120_000, interval: 50 }).toBe(BURST);
		} finally {
			await Promise.all(aggregators.map((a) => a.stop()));
		}
		const after = aggregatorTally();
		expect(after.discarded - before.discarded).toBe(0);
		expect(after.added - before.added).toBe(BURST);
		const check = await verifyWave(t.db, waveId);
		expect(check).toMatchObject({ responses: BURST, queued: 0, differences: [] });
	}, 300_000);

	it('a recompute while both servers aggregate a burst ends exact, and the check is exact meanwhile', async () => {
		const before = aggregatorTally();
		const aggregators = [startAggregator(t.db, 5), startAggregator(other, 5)];
		try {
			const sending = burst(MORE);
			const recomputes = (async () => {
				for (let i = 0; i < 3; i++) {
					await new Promise((r) => setTimeout(r, 100));
					await recomputeWave(i % 2 ? other : t.db, waveId, { pageSize: 97 });
					// the cells and the responses they hold are read at one moment: exact while some wait
					const check = await verifyWave(other, waveId, { pageSize: 89 });
					expect(check.differences).toEqual([]);
				}
			})();
			await Promise.all([sending, recomputes]);
			await expect.poll(waveCount, { timeout: 120_000, interval: 50 }).toBe(BURST + MORE);
		} finally {
			await Promise.all(aggregators.map((a) => a.stop()));
		}
		expect(aggregatorTally().discarded - before.discarded).toBe(0);
		expect(await verifyWave(t.db, waveId)).toMatchObject({
			responses: BURST + MORE,
			queued: 0,
			differences: []
		});
	}, 300_000);

	it('a check leaves out the responses still queued, and says how many', async () => {
		await burst(15, 3);
		expect(await verifyWave(t.db, waveId, { pageSize: 7 })).toMatchObject({
			responses: BURST + MORE,
			queued: 15,
			differences: []
		});
		while ((await aggregateQueued(t.db, 4)) > 0);
		expect(await verifyWave(t.db, waveId, { pageSize: 7 })).toMatchObject({
			responses: BURST + MORE + 15,
			queued: 0,
			differences: []
		});
	});

	it('rebuilds the same cells reading the wave 7 responses at a time as in one page', async () => {
		const cells = async () =>
			(
				await t.db
					.selectFrom('analytics_cell')
					.selectAll()
					.where('wave_id', '=', waveId)
					.orderBy('grouping')
					.orderBy('cell')
					.orderBy('measure')
					.execute()
			).map((c) => ({ ...c, key: `${c.grouping} ${c.cell} ${c.measure}` }));
		const whole = await recomputeWave(t.db, waveId, { pageSize: 100_000 });
		const inOne = await cells();
		const paged = await recomputeWave(t.db, waveId, { pageSize: 7 });
		const inPages = await cells();
		expect(paged).toEqual(whole);
		expect(whole.responses).toBe(BURST + MORE + 15);
		expect(inPages.map((c) => [c.key, c.n])).toEqual(inOne.map((c) => [c.key, c.n]));
		for (const [i, c] of inPages.entries())
			for (const k of ['w', 'wy', 'wy2', 'w2', 'w2y', 'w2y2'] as const)
				expect(c[k], `${c.key} ${k}`).toBeCloseTo(inOne[i]![k], 6);
		// and the check reads it in pages too, down to pages of one response
		expect(await verifyWave(t.db, waveId, { pageSize: 1 })).toMatchObject({
			responses: BURST + MORE + 15,
			differences: []
		});
	}, 120_000);

	it('a server with a pool of two connections gets through three recomputes and a batch asked for at once', async () => {
		const small = t.url
			? openDb({ databaseUrl: t.url, pgliteDir: 'memory://', poolMax: 2 }).db
			: t.db;
		try {
			await burst(20, 2);
			// each waits for the turn on at most one connection, and works on the other
			const [, , added] = await Promise.all([
				recomputeWave(small, waveId),
				recomputeWave(small, waveId),
				aggregateQueued(small),
				recomputeWave(small, waveId)
			]);
			expect(added).toBe(0); // the first recompute had the turn and took the queue
			expect(await verifyWave(small, waveId)).toMatchObject({
				responses: BURST + MORE + 35,
				queued: 0,
				differences: []
			});
		} finally {
			if (small !== t.db) await small.destroy();
		}
	}, 60_000);
});
