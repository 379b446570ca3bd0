import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { estimateFromSums, type Sums } from '$lib/analytics/cells';
import { measuresOf, score } from '$lib/analytics/scoring';
import { aggregateQueued, verifyWave } from '$lib/server/analytics/aggregate';
import { waveResults } from '$lib/server/analytics/results';
import { startAggregator } from '$lib/server/analytics/worker';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { CleanAnswer } from '$lib/surveys/answers';
import { allQuestions, type InstrumentSpec } from '$lib/surveys/spec';
import { backends, migratedDb, type TestDb } from './harness';

/** A respondent who picks an option of every choice question at random (seeded). */
function randomAnswers(spec: InstrumentSpec, seed: number): CleanAnswer[] {
	let state = seed;
	const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	return allQuestions(spec).flatMap((q): CleanAnswer[] =>
		'options' in q
			? [{ code: q.code, options: [q.options[Math.floor(next() * q.options.length)]!.code] }]
			: []
	);
}

describe.each(backends)('analytics cells on %s', (backend) => {
	let t: TestDb;
	let waveId: number;
	let spec: InstrumentSpec;
	const given: CleanAnswer[][] = [];

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas'))!;
		spec = version.spec;
		const communes = await t.db
			.selectFrom('admin_unit')
			.select('id')
			.where('code', 'in', ['00913', '00916'])
			.where('valid_to', 'is', null)
			.execute();
		waveId = await createWave(
			t.db,
			{
				slug: 'analytics',
				versionId: version.id,
				title: { vi: 'Thử', en: 'Test' },
				unitIds: communes.map((c) => c.id)
			},
			null
		);
		await setWaveStatus(t.db, waveId, 'open', null);
		for (let i = 0; i < 60; i++) {
			const answers = randomAnswers(spec, i + 1);
			given.push(answers);
			const result = await submitResponse(t.db, {
				waveId,
				versionId: version.id,
				unitId: communes[i % communes.length]!.id,
				mode: 'web',
				submitKey: `analytics-${i}-0123456789`,
				answers
			});
			expect(result.ok).toBe(true);
		}
	});
	afterAll(async () => t?.close());

	it('queues every submission and adds it once, even with two aggregators at work', async () => {
		expect((await verifyWave(t.db, waveId)).queued).toBe(60);
		const taken = await Promise.all([aggregateQueued(t.db, 25), aggregateQueued(t.db, 25)]);
		let rest = 0;
		for (let n = await aggregateQueued(t.db, 25); n > 0; n = await aggregateQueued(t.db, 25))
			rest += n;
		expect(taken[0]! + taken[1]! + rest).toBe(60);
		const check = await verifyWave(t.db, waveId);
		expect(check.queued).toBe(0);
		expect(check.differences).toEqual([]);
		expect(check.cells).toBeGreaterThan(100);
	});

	it('gives the wave the same numbers as scoring its raw answers', async () => {
		const rows = await t.db
			.selectFrom('analytics_cell')
			.selectAll()
			.where('wave_id', '=', waveId)
			.where('grouping', '=', '')
			.execute();
		const sums = new Map<string, Sums>(rows.map((r) => [r.measure, r]));
		const raw = score(
			spec,
			given.map((answers) => ({ weight: 1, answers }))
		);
		for (const m of measuresOf(spec)) {
			const stored = estimateFromSums(m, sums)!;
			const fromRaw = raw.find((r) => r.code === m.code)!.result!;
			expect(stored.estimate, m.code).toBeCloseTo(fromRaw.estimate, 10);
			expect(stored.n, m.code).toBe(fromRaw.n);
		}
	});

	it('adds a new submission within a few ticks of the running aggregator', async () => {
		const aggregator = startAggregator(t.db, 50);
		try {
			const version = (await latestPublished(t.db, 'sipas'))!;
			const result = await submitResponse(t.db, {
				waveId,
				versionId: version.id,
				unitId: null,
				mode: 'web',
				submitKey: 'analytics-live-0123456789',
				answers: randomAnswers(spec, 999)
			});
			expect(result.ok).toBe(true);
			const waveCount = async () =>
				(
					await t.db
						.selectFrom('analytics_cell')
						.select('n')
						.where('wave_id', '=', waveId)
						.where('grouping', '=', '')
						.where('measure', '=', 'total')
						.executeTakeFirstOrThrow()
				).n;
			await expect.poll(waveCount, { timeout: 5000, interval: 50 }).toBe(61);
		} finally {
			await aggregator.stop();
		}
		given.push(randomAnswers(spec, 999));
		expect((await verifyWave(t.db, waveId)).differences).toEqual([]);
	});

	it('shows the wave and its groups from the sums, hiding any group below k and its complement', async () => {
		const version = (await latestPublished(t.db, 'sipas'))!;
		const results = await waveResults(t.db, { id: waveId, versionId: version.id }, 10);
		expect(results.respondents).toBe(61);
		expect(results.measures[0]!.measure.code).toBe('total');
		expect(results.measures[0]!.result!.n).toBe(61);
		expect(results.byBand.map((b) => b.title!.en)).toContain('Your gender');
		for (const table of [results.byUnit, ...results.byBand]) {
			let hiddenTotal = 0;
			let shownTotal = 0;
			for (const row of table.rows) {
				const n = row.result?.n ?? 0;
				if (row.suppressed) hiddenTotal += n;
				else {
					expect(n === 0 || n >= 10).toBe(true);
					shownTotal += n;
				}
			}
			// what the hidden groups (and the respondents in none) add up to is never a small group
			const rest = 61 - shownTotal;
			expect(rest === 0 || rest >= 10, `${table.title?.en ?? 'communes'}: ${rest}`).toBe(true);
			expect(hiddenTotal).toBeLessThanOrEqual(rest);
		}
	});

	it('reports a cell that no longer matches the raw answers', async () => {
		await t.db
			.updateTable('analytics_cell')
			.set((eb) => ({ n: eb('n', '+', 1) }))
			.where('wave_id', '=', waveId)
			.where('grouping', '=', '')
			.where('measure', '=', 'total')
			.execute();
		const check = await verifyWave(t.db, waveId);
		expect(check.differences).toHaveLength(1);
		expect(check.differences[0]).toContain('total');
	});
});
