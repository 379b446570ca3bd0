import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { estimateFromRows } from '$lib/analytics/published';
import { aggregateQueued } from '$lib/server/analytics/aggregate';
import { microdataStream } from '$lib/server/analytics/microdata';
import { groupRows, waveDistributions, waveResults } from '$lib/server/analytics/results';
import { refreshSnapshots, takeSnapshot, verifySnapshot } from '$lib/server/analytics/snapshot';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { backends, migratedDb, type TestDb } from './harness';
import { MICRODATA_HEADER, randomAnswers } from './responses';

async function csv(stream: ReadableStream<Uint8Array>): Promise<string[]> {
	const text = new TextDecoder().decode(await new Response(stream).arrayBuffer());
	return text.trimEnd().split('\r\n');
}

describe.each(backends)('published snapshots on %s', (backend) => {
	let t: TestDb;
	let spec: InstrumentSpec;
	let versionId: number;
	let communes: number[];
	let submitted = 0;

	async function submit(waveId: number, count: number, unitOf: (i: number) => number | null) {
		for (let i = 0; i < count; i++, submitted++) {
			const result = await submitResponse(t.db, {
				waveId,
				versionId,
				unitId: unitOf(i),
				mode: 'web',
				submitKey: `snapshot-${submitted}-0123456789`,
				answers: randomAnswers(spec, submitted + 7)
			});
			expect(result.ok).toBe(true);
		}
		while ((await aggregateQueued(t.db, 100)) > 0);
	}

	async function newWave(slug: string): Promise<number> {
		const id = await createWave(
			t.db,
			{ slug, versionId, title: { vi: 'Thử', en: 'Test' }, unitIds: communes },
			null
		);
		await setWaveStatus(t.db, id, 'open', null);
		return id;
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas'))!;
		spec = version.spec;
		versionId = version.id;
		communes = (
			await t.db
				.selectFrom('admin_unit')
				.select('id')
				.where('level', '=', 'commune')
				.where('valid_to', 'is', null)
				.orderBy('code')
				.limit(4)
				.execute()
		).map((c) => c.id);
	});
	afterAll(async () => t?.close());

	it('move a live wave only in steps of k: one, three or nine new responses change nothing, ten do', async () => {
		const waveId = await newWave('live-steps');
		const wave = { id: waveId, versionId };
		await submit(waveId, 30, (i) => communes[i % 2]!);
		expect(await refreshSnapshots(t.db)).toEqual([waveId]);

		/** Everything an analyst can read about the wave. */
		const reading = async () => {
			const views = [
				await waveResults(t.db, wave),
				await waveDistributions(t.db, wave, new URLSearchParams())
			];
			for (const unit of communes.slice(0, 2))
				views.push(await waveResults(t.db, wave, new URLSearchParams({ unit: String(unit) })));
			const band = views[0]! as Awaited<ReturnType<typeof waveResults>>;
			for (const b of band.choices.bands)
				for (const o of b.options)
					views.push(
						await waveDistributions(
							t.db,
							wave,
							new URLSearchParams({ band: `${b.question}:${o.key}` })
						)
					);
			const microdata = await csv(microdataStream(t.db, waveId, spec, MICRODATA_HEADER, false));
			return JSON.stringify({ views, microdata });
		};
		const first = await reading();
		expect((await waveResults(t.db, wave)).respondents).toBe(30);

		for (const [more, total] of [
			[1, 1],
			[2, 3],
			[6, 9]
		] as const) {
			await submit(waveId, more, (i) => communes[i % 2]!);
			expect(await refreshSnapshots(t.db), `${total} new`).toEqual([]);
			expect(await reading(), `${total} new responses`).toBe(first);
		}
		await submit(waveId, 1, () => communes[0]!);
		expect(await refreshSnapshots(t.db)).toEqual([waveId]);
		const after = await waveResults(t.db, wave);
		expect(after.respondents).toBe(40);
		expect(after.snapshot!.responses).toBe(40);
		// the ten split 6 and 4 between the two communes: neither shows new numbers (each moved by
		// fewer than k, and the wave less one commune would give the other away)
		const byUnit = after.breakdowns.find((b) => b.by === 'unit')!.rows;
		expect(byUnit).toHaveLength(2);
		expect(byUnit.every((r) => r.suppressed && r.result === undefined)).toBe(true);
		expect(await csv(microdataStream(t.db, waveId, spec, MICRODATA_HEADER, false))).toHaveLength(
			41
		);
		expect(await reading()).not.toBe(first);
		expect((await verifySnapshot(t.db, waveId)).differences).toEqual([]);
	});

	it('wait for a wave whose results come after its close, then publish all of it', async () => {
		const waveId = await createWave(
			t.db,
			{
				slug: 'after-close',
				versionId,
				title: { vi: 'Thử', en: 'Test' },
				unitIds: communes,
				resultsMode: 'after_close'
			},
			null
		);
		await setWaveStatus(t.db, waveId, 'open', null);
		await submit(waveId, 23, (i) => communes[i % 4]!);
		expect(await refreshSnapshots(t.db)).toEqual([]);
		await setWaveStatus(t.db, waveId, 'closed', null);
		expect(await refreshSnapshots(t.db)).toEqual([waveId]);
		expect((await waveResults(t.db, { id: waveId, versionId })).respondents).toBe(23);
	});

	it('give a designed sample design-based errors, its design effect, and stratum and PSU columns', async () => {
		const waveId = await newWave('designed');
		await submit(waveId, 48, (i) => communes[i % 4]!);
		// the sample was drawn with invitation codes: two strata of two communes each
		await t.db
			.updateTable('survey_wave')
			.set({ access_mode: 'invitation' })
			.where('id', '=', waveId)
			.execute();
		await t.db
			.insertInto('survey_wave_weight')
			.values(
				communes.map((unit, i) => ({
					wave_id: waveId,
					unit_id: unit,
					weight: 1 + i / 2,
					stratum: i < 2 ? 'north' : 'south'
				}))
			)
			.execute();
		await takeSnapshot(t.db, waveId);
		const snapshot = await t.db
			.selectFrom('analytics_snapshot')
			.selectAll()
			.where('wave_id', '=', waveId)
			.executeTakeFirstOrThrow();
		expect(snapshot.variance).toBe('designed');
		const results = await waveResults(t.db, { id: waveId, versionId });
		const total = results.measures.find((m) => m.measure.code === 'total')!.result!;
		const rows = await groupRows(t.db, waveId, { grouping: '', cell: '' });
		const row = rows.get('total')!;
		expect(row.se_design).toBeGreaterThan(0);
		expect(total.se).toBe(row.se_design);
		expect(total.deff).toBeCloseTo((row.se_design! / row.se!) ** 2, 12);
		// within one commune (one PSU) the design gives no variance: the individual-level one is used
		const commune = await groupRows(t.db, waveId, { grouping: 'unit', cell: String(communes[0]) });
		expect(commune.get('total')!.se_design).toBeNull();
		const inCommune = estimateFromRows(results.measures[0]!.measure, commune)!;
		expect(inCommune.se).toBe(commune.get('total')!.se);
		expect(inCommune.deff).toBeNull();

		const lines = await csv(microdataStream(t.db, waveId, spec, MICRODATA_HEADER, true));
		expect(lines).toHaveLength(49);
		const header = lines[0]!.replace('\uFEFF', '').split(',');
		const at = (name: string) => header.indexOf(name);
		const strata = new Set(lines.slice(1).map((l) => l.split(',')[at('stratum')]));
		expect(strata).toEqual(new Set(['north', 'south']));
		for (const line of lines.slice(1)) {
			const cells = line.split(',');
			expect(cells[at('psu')]).toBe(cells[at('unit')]);
		}
	});
});
