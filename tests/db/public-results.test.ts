import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { aggregateQueued } from '$lib/server/analytics/aggregate';
import { waveResults } from '$lib/server/analytics/results';
import { refreshSnapshots } from '$lib/server/analytics/snapshot';
import { DomainError } from '$lib/server/forms/refusal';
import { publicResults, publicResultWaves } from '$lib/server/results/public';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { backends, migratedDb, type TestDb } from './harness';
import { randomAnswers } from './responses';

describe.each(backends)('public survey results on %s', (backend) => {
	let t: TestDb;
	let spec: InstrumentSpec;
	let versionId: number;
	let instrumentId: number;
	let communes: number[];
	let submitted = 0;

	async function wave(
		slug: string,
		count: number,
		o: { units: number[]; close: boolean; resultsMode?: 'live' | 'after_close' }
	): Promise<number> {
		const id = await createWave(
			t.db,
			{
				slug,
				versionId,
				title: { vi: `Thử ${slug}`, en: `Test ${slug}` },
				unitIds: o.units,
				resultsMode: o.resultsMode,
				opensOn: '2026-03-01',
				closesOn: '2026-04-30'
			},
			null
		);
		await setWaveStatus(t.db, id, 'open', null);
		for (let i = 0; i < count; i++, submitted++) {
			const result = await submitResponse(t.db, {
				waveId: id,
				versionId,
				unitId: o.units[i % o.units.length]!,
				mode: 'web',
				submitKey: `public-${submitted}-0123456789`,
				answers: randomAnswers(spec, submitted + 11)
			});
			expect(result.ok).toBe(true);
		}
		while ((await aggregateQueued(t.db, 100)) > 0);
		if (o.close) await setWaveStatus(t.db, id, 'closed', null);
		await refreshSnapshots(t.db);
		return id;
	}

	/** The refusal a call ends with, as its HTTP status. */
	async function statusOf(work: Promise<unknown>): Promise<number | undefined> {
		try {
			await work;
			return undefined;
		} catch (e) {
			if (e instanceof DomainError) return e.status;
			return (e as { status?: number }).status;
		}
	}

	let closed: number;
	let small: number;
	let open: number;
	let embargoed: number;

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas'))!;
		spec = version.spec;
		versionId = version.id;
		instrumentId = version.instrumentId;
		communes = (
			await t.db
				.selectFrom('admin_unit')
				.select('id')
				.where('level', '=', 'commune')
				.where('valid_to', 'is', null)
				.orderBy('code')
				.limit(2)
				.execute()
		).map((c) => c.id);
		closed = await wave('closed', 40, { units: [communes[0]!], close: true });
		// four respondents: the after-close wave is snapshotted on close, and all of it is hidden
		small = await wave('small', 4, { units: communes, close: true, resultsMode: 'after_close' });
		open = await wave('open', 30, { units: communes, close: false });
		embargoed = await wave('embargoed', 30, {
			units: communes,
			close: false,
			resultsMode: 'after_close'
		});
	});
	afterAll(async () => t?.close());

	it('list only closed waves with published results, with their fieldwork dates', async () => {
		const waves = await publicResultWaves(t.db);
		expect(waves.map((w) => w.id).sort()).toEqual([closed, small].sort());
		const first = waves.find((w) => w.id === closed)!;
		expect(first).toMatchObject({
			opensOn: '2026-03-01',
			closesOn: '2026-04-30',
			responses: 40,
			year: 2026
		});
	});

	it('refuse an open wave, an embargoed one, an unknown one and a malformed id with 404', async () => {
		expect(await statusOf(publicResults(t.db, String(open)))).toBe(404);
		expect(await statusOf(publicResults(t.db, String(embargoed)))).toBe(404);
		expect(await statusOf(publicResults(t.db, '999999'))).toBe(404);
		expect(await statusOf(publicResults(t.db, '1e3'))).toBe(404);
		expect(await statusOf(publicResults(t.db, '-1'))).toBe(404);
	});

	it('show the analysts’ whole-wave figures, no more and no other', async () => {
		const published = await publicResults(t.db, String(closed));
		const analyst = await waveResults(t.db, { id: closed, versionId });
		expect(published.respondents).toBe(analyst.respondents);
		expect(published.respondents).toBe(40);
		expect(published.k).toBe(analyst.k);
		// the summary measures only: the total, sub-indices and elements, in the analysts' order
		const summary = analyst.measures.filter((m) =>
			['total', 'subindex', 'section'].includes(m.measure.level)
		);
		expect(published.figures.map((f) => f.code)).toEqual(summary.map((m) => m.measure.code));
		expect(published.figures.map((f) => f.number)).toEqual(summary.map((m) => m.number));
		let shown = 0;
		for (const [i, f] of published.figures.entries()) {
			const a = summary[i]!;
			if (a.suppressed) {
				expect(f.value, f.code).toBeNull();
				expect(f.hidden).toBe(a.reason);
			} else if (!a.result) {
				expect(f.value).toBeNull();
				expect(f.hidden).toBe('no_data');
			} else {
				shown++;
				expect(f.hidden).toBeNull();
				expect(f.value!.estimate).toBe(a.result.estimate);
				expect(f.value!.n).toBe(a.result.n);
				expect(f.value!.low).toBe(Math.max(0, a.result.low));
				expect(f.value!.high).toBe(Math.min(f.range, a.result.high));
				expect(f.value!.low!).toBeLessThanOrEqual(f.value!.estimate);
				expect(f.value!.high!).toBeGreaterThanOrEqual(f.value!.estimate);
			}
		}
		expect(shown).toBeGreaterThan(0);
		// nothing of a group within the wave goes out
		expect(JSON.stringify(published)).not.toMatch(/breakdown|choices|filter|se_design/);
	});

	it('hide every figure of a wave too small to show, as the analysts see it hidden', async () => {
		const published = await publicResults(t.db, String(small));
		const analyst = await waveResults(t.db, { id: small, versionId });
		expect(analyst.respondents).toBeNull();
		expect(published.respondents).toBeNull();
		expect(published.figures.length).toBeGreaterThan(0);
		for (const f of published.figures) {
			expect(f.value).toBeNull();
			expect(f.hidden).toBe('small');
		}
	});

	it('put the official published figure of the wave’s unit beside each measure, for the latest year up to the wave’s', async () => {
		const [total] = (await publicResults(t.db, String(closed))).figures;
		await t.db
			.insertInto('official_result')
			.values([
				{
					instrument_id: instrumentId,
					unit_id: communes[0]!,
					year: 2025,
					measure: total!.code,
					value: 0.81
				},
				{
					instrument_id: instrumentId,
					unit_id: communes[0]!,
					year: 2027,
					measure: total!.code,
					value: 0.99
				},
				// another commune's figure is not this wave's
				{
					instrument_id: instrumentId,
					unit_id: communes[1]!,
					year: 2026,
					measure: total!.code,
					value: 0.5
				}
			])
			.execute();
		const published = await publicResults(t.db, String(closed));
		expect(published.officialYear).toBe(2025);
		expect(published.figures[0]!.official).toBe(0.81);
		expect(published.figures.slice(1).every((f) => f.official === null)).toBe(true);
		// a wave over two communes has no one unit whose figures it could be set beside
		expect((await publicResults(t.db, String(small))).officialYear).toBeNull();
	});
});
