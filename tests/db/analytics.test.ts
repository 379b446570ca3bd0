import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { measuresOf, score } from '$lib/analytics/scoring';
import { aggregateQueued, recomputeWave, verifyWave } from '$lib/server/analytics/aggregate';
import { estimateFromRows } from '$lib/analytics/published';
import { refreshSnapshots, takeSnapshot, verifySnapshot } from '$lib/server/analytics/snapshot';
import { microdataStream } from '$lib/server/analytics/microdata';
import { replaceWeights } from '$lib/server/surveys/weights';
import { createUser } from '$lib/server/auth/users';
import { groupRows, waveDistributions, waveResults } from '$lib/server/analytics/results';
import { startAggregator } from '$lib/server/analytics/worker';
import { planScores } from '$lib/server/plans/dashboard';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { CleanAnswer } from '$lib/surveys/answers';
import { allQuestions, type InstrumentSpec } from '$lib/surveys/spec';
import { backends, migratedDb, type TestDb } from './harness';
import { MICRODATA_HEADER, randomAnswers } from './responses';

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
				unitIds: communes.map((c) => c.id),
				// the running aggregator takes no snapshot of it: these tests take theirs when they read
				resultsMode: 'after_close'
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
			await expect.poll(waveCount, { timeout: 30_000, interval: 50 }).toBe(61);
		} finally {
			await aggregator.stop();
		}
		given.push(randomAnswers(spec, 999));
		expect((await verifyWave(t.db, waveId)).differences).toEqual([]);
	});

	it('publishes the numbers, n and standard errors of scoring the raw answers, composites included', async () => {
		await takeSnapshot(t.db, waveId);
		const rows = await groupRows(t.db, waveId, { grouping: '', cell: '' });
		const raw = score(
			spec,
			given.map((answers) => ({ weight: 1, answers }))
		);
		for (const m of measuresOf(spec)) {
			const published = estimateFromRows(m, rows)!;
			const fromRaw = raw.find((r) => r.code === m.code)!.result!;
			expect(published.estimate, m.code).toBeCloseTo(fromRaw.estimate, 10);
			expect(published.n, m.code).toBe(fromRaw.n);
			expect(published.se, m.code).toBeCloseTo(fromRaw.se, 10);
			// the snapshot reads responses in id order, not the order they were given: the same sums
			// added in another order may differ in the last bit
			expect(published.low, m.code).toBeCloseTo(fromRaw.low, 12);
			expect(published.high, m.code).toBeCloseTo(fromRaw.high, 12);
		}
		// the answers skip items ("don't know"), so composites' errors are the linearized ones
		const check = await verifySnapshot(t.db, waveId);
		expect(check.checked).toBeGreaterThan(10);
		expect(check.differences).toEqual([]);
	});

	it('shows the wave and its groups from the snapshot, hiding any group below k and its complement', async () => {
		const version = (await latestPublished(t.db, 'sipas'))!;
		const wave = { id: waveId, versionId: version.id };
		await takeSnapshot(t.db, waveId);
		const results = await waveResults(t.db, wave, new URLSearchParams());
		expect(results.respondents).toBe(61);
		expect(results.measures[0]!.measure.code).toBe('total');
		expect(results.measures[0]!.result!.n).toBe(61);
		expect(results.breakdowns.map((b) => b.title?.en)).toContain('Your gender');
		for (const table of results.breakdowns) {
			let shownTotal = 0;
			for (const row of table.rows) {
				// a hidden group's estimate is never even computed, so it cannot leak into the page
				if (row.suppressed) expect(row.result).toBeUndefined();
				else {
					const n = row.result?.n ?? 0;
					expect(n === 0 || n >= 10).toBe(true);
					shownTotal += n;
				}
			}
			// what the hidden groups (and the respondents in none) add up to is never a small group
			const rest = 61 - shownTotal;
			expect(rest === 0 || rest >= 10, `${table.title?.en ?? 'communes'}: ${rest}`).toBe(true);
		}
		// filtering to a shown commune gives that commune's numbers
		// 60 of the 61 gave a commune: showing it beside the wave would give away the one who did not
		expect(results.breakdowns[0]!.by).toBe('unit');
		expect(results.breakdowns[0]!.rows.every((r) => r.suppressed)).toBe(true);
		// filtering to a shown group gives that group's numbers
		const group = results.breakdowns[1]!.rows.find((r) => !r.suppressed)!;
		const filtered = await waveResults(
			t.db,
			wave,
			new URLSearchParams({ band: `${group.filter.band!.question}:${group.filter.band!.option}` })
		);
		expect(filtered.filter).toEqual(group.filter);
		expect(filtered.respondents).toBe(group.result!.n);
		expect(filtered.measures[0]!.result!.estimate).toBeCloseTo(group.result!.estimate, 12);
		expect(filtered.breakdowns.map((b) => b.by)).toEqual(['unit']);
	});

	it('lists the results in the questionnaire’s order: each sub-index followed by its elements, each by its criteria, numbered', async () => {
		const version = (await latestPublished(t.db, 'sipas'))!;
		const results = await waveResults(t.db, { id: waveId, versionId: version.id });
		const rows = results.measures.map((r) => `${r.number} ${r.measure.code}`.trim());
		expect(rows.slice(0, 5)).toEqual([
			'total',
			'1 policy_index',
			'1.1 policy_information',
			'1.1.1 pol_info_channels',
			'1.1.2 pol_info_clarity'
		]);
		expect(rows.slice(12, 16)).toEqual([
			'2 service_index',
			'2.1 access',
			'2.1.1 access_information',
			'2.1.2 access_signage'
		]);
		expect(rows.slice(-5)).toEqual([
			'2.5 feedback',
			'2.5.1 fb_channels',
			'2.5.2 fb_ease',
			'2.5.3 fb_handling',
			'2.5.4 fb_notification'
		]);
		// the index, 2 sub-indices, 3 + 5 elements, 7 + 22 criteria
		expect(rows).toHaveLength(40);
	});

	it('gives each question its answer distribution, summing to one', async () => {
		const version = (await latestPublished(t.db, 'sipas'))!;
		const d = await waveDistributions(
			t.db,
			{ id: waveId, versionId: version.id },
			new URLSearchParams()
		);
		const questions = d.sections.flatMap((s) => s.questions);
		const gender = questions.find((q) => q.code === 'gender')!;
		expect(gender.answered).toBe(61);
		const total = gender.options.reduce((sum, o) => sum + o.share!.estimate, 0);
		expect(total).toBeCloseTo(1, 12);
		const male = given.filter((a) =>
			a.some((x) => x.code === 'gender' && 'options' in x && x.options[0] === 'male')
		).length;
		expect(gender.options.find((o) => o.key === 'male')!.share!.estimate).toBeCloseTo(
			male / 61,
			12
		);
	});

	it('applies design weights when the cells are rebuilt, and leaves queued responses to the aggregator', async () => {
		// the commune the setup put 60 responses in (00916 has merged into it; one response of the
		// wave has no commune)
		const commune = await t.db
			.selectFrom('admin_unit')
			.select('id as unit_id')
			.where('code', '=', '00913')
			.where('valid_to', 'is', null)
			.executeTakeFirstOrThrow();
		await t.db
			.insertInto('survey_wave_weight')
			.values({ wave_id: waveId, unit_id: commune.unit_id, weight: 2.5 })
			.execute();
		const { cells } = await recomputeWave(t.db, waveId);
		expect(cells).toBeGreaterThan(0);
		expect((await verifyWave(t.db, waveId)).differences).toEqual([]);
		const wave = await t.db
			.selectFrom('analytics_cell')
			.select(['n', 'w'])
			.where('wave_id', '=', waveId)
			.where('grouping', '=', '')
			.where('measure', '=', '#')
			.executeTakeFirstOrThrow();
		const inCommune = await t.db
			.selectFrom('survey_response')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('wave_id', '=', waveId)
			.where('unit_id', '=', commune.unit_id)
			.executeTakeFirstOrThrow();
		expect(wave.n).toBe(61);
		expect(Number(inCommune.n)).toBe(60);
		expect(wave.w).toBeCloseTo(61 + 1.5 * Number(inCommune.n), 9);
		await t.db.deleteFrom('survey_wave_weight').where('wave_id', '=', waveId).execute();
		await recomputeWave(t.db, waveId);
	});

	it("takes weights typed for the wave's communes and rebuilds its sums, refusing any other commune", async () => {
		const actor = await createUser(
			t.db,
			{ email: 'weights@example.vn', displayName: 'Trọng số', password: 'long enough pw' },
			null
		);
		const weightOf = async () =>
			(
				await t.db
					.selectFrom('analytics_cell')
					.select('w')
					.where('wave_id', '=', waveId)
					.where('grouping', '=', '')
					.where('measure', '=', '#')
					.executeTakeFirstOrThrow()
			).w;
		const refused = await replaceWeights(t.db, waveId, [{ code: '99999', weight: 2 }], actor);
		expect(refused.unknown).toEqual(['99999']);
		expect(await weightOf()).toBe(61);
		const { unknown } = await replaceWeights(t.db, waveId, [{ code: '00913', weight: 2 }], actor);
		expect(unknown).toEqual([]);
		const inCommune = await t.db
			.selectFrom('survey_response as r')
			.innerJoin('admin_unit as u', 'u.id', 'r.unit_id')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('r.wave_id', '=', waveId)
			.where('u.code', '=', '00913')
			.executeTakeFirstOrThrow();
		expect(Number(inCommune.n)).toBeGreaterThan(0);
		expect(await weightOf()).toBeCloseTo(61 + Number(inCommune.n), 9);
		expect((await verifyWave(t.db, waveId)).differences).toEqual([]);
		await replaceWeights(t.db, waveId, [], actor);
		expect(await weightOf()).toBe(61);
	});

	it('streams anonymous microdata: a row per response, closed answers only', async () => {
		const version = (await latestPublished(t.db, 'sipas'))!;
		const stream = microdataStream(t.db, waveId, version.spec, MICRODATA_HEADER, false);
		// the BOM stays: spreadsheets need it to read Vietnamese as UTF-8
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
			await new Response(stream).arrayBuffer()
		);
		const lines = text.trimEnd().split('\r\n');
		expect(lines).toHaveLength(62);
		expect(lines[0]!.startsWith('\uFEFFrow,unit,mode,day,weight,design_weight,stratum,psu,')).toBe(
			true
		);
		const header = lines[0]!.split(',');
		expect(header).toContain('gender');
		expect(
			header.some((h) => allQuestions(version.spec).find((q) => q.code === h)?.type === 'longtext')
		).toBe(false);
		// rows in the file's own order (the export shuffles responses: no assertion on which comes
		// first), each with its commune if it gave one; an open-link wave has no sampling design,
		// so stratum and PSU are empty
		const rows = lines.slice(1);
		expect(rows.map((l) => Number(l.split(',')[0]))).toEqual(rows.map((_, i) => i + 1));
		for (const row of rows) expect(row).toMatch(/^\d+,(\d{5})?,web,\d{4}-\d\d-\d\d,1,1,,,/);
		const units = rows.map((l) => l.split(',')[1]).sort();
		expect(units.filter((u) => u === '')).toHaveLength(1);
		expect(new Set(units.filter((u) => u !== ''))).toEqual(new Set(['00913']));
	});

	it('counts every response once when a recompute and aggregators run at the same time', async () => {
		const version = (await latestPublished(t.db, 'sipas'))!;
		for (let i = 0; i < 30; i++) {
			const answers = randomAnswers(spec, 500 + i);
			given.push(answers);
			const result = await submitResponse(t.db, {
				waveId,
				versionId: version.id,
				unitId: null,
				mode: 'web',
				submitKey: `analytics-race-${i}-0123456789`,
				answers
			});
			expect(result.ok).toBe(true);
		}
		await Promise.all([
			aggregateQueued(t.db, 10),
			recomputeWave(t.db, waveId),
			aggregateQueued(t.db, 10),
			aggregateQueued(t.db, 10)
		]);
		while ((await aggregateQueued(t.db, 10)) > 0);
		const check = await verifyWave(t.db, waveId);
		expect(check.queued).toBe(0);
		expect(check.differences).toEqual([]);
		const wave = await t.db
			.selectFrom('analytics_cell')
			.select('n')
			.where('wave_id', '=', waveId)
			.where('grouping', '=', '')
			.where('measure', '=', '#')
			.executeTakeFirstOrThrow();
		expect(wave.n).toBe(given.length);
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

/** A respondent who answers every choice question with a real option (no "don't know"). */
function fullAnswers(spec: InstrumentSpec, seed: number): CleanAnswer[] {
	return allQuestions(spec).flatMap((q): CleanAnswer[] => {
		if (!('options' in q)) return [];
		const real = q.options.filter((o) => !o.missing);
		return [{ code: q.code, options: [real[(seed + q.code.length) % real.length]!.code] }];
	});
}

describe.each(backends)('composites with a part nobody answered, on %s', (backend) => {
	let t: TestDb;
	let wave: { id: number; versionId: number };
	let communeA: string;
	let instrumentId: number;
	// in commune A nobody answers the land-certificate sub-dimension of d5, nor one indicator
	// (trust in the information) of d2's information-access sub-dimension; in the whole wave
	// nobody answers how the air has changed, an indicator of d7's sub-dimension on air
	const skipped = (code: string) => code.startsWith('d5_lurc') || code === 'd2_info_trust';
	const nobody = 'd7_air_trend';

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'papi'))!;
		const communes = await t.db
			.selectFrom('admin_unit')
			.select('id')
			.where('level', '=', 'commune')
			.where('valid_to', 'is', null)
			.orderBy('code')
			.limit(2)
			.execute();
		const id = await createWave(
			t.db,
			{
				slug: 'composites',
				versionId: version.id,
				title: { vi: 'Thử', en: 'Test' },
				unitIds: communes.map((c) => c.id)
			},
			null
		);
		await setWaveStatus(t.db, id, 'open', null);
		wave = { id, versionId: version.id };
		communeA = String(communes[0]!.id);
		for (let i = 0; i < 24; i++) {
			const inA = i % 2 === 0;
			const result = await submitResponse(t.db, {
				waveId: id,
				versionId: version.id,
				unitId: communes[inA ? 0 : 1]!.id,
				mode: 'web',
				submitKey: `composites-${i}-0123456789`,
				answers: fullAnswers(version.spec, i).filter(
					(a) => a.code !== nobody && (!inA || !skipped(a.code))
				)
			});
			expect(result.ok).toBe(true);
		}
		while ((await aggregateQueued(t.db, 50)) > 0);
		await setWaveStatus(t.db, id, 'closed', null);
		expect(await refreshSnapshots(t.db)).toEqual([id]);
		instrumentId = version.instrumentId;
	});
	afterAll(async () => t?.close());

	it('hides, with the reason, a composite with a part nobody in the group answered, and shows its complete siblings', async () => {
		const results = await waveResults(t.db, wave, new URLSearchParams({ unit: communeA }));
		expect(results.respondents).toBe(12);
		const of = (code: string) => results.measures.find((m) => m.measure.code === code)!;
		const incomplete = { result: undefined, suppressed: true, reason: 'incomplete' };
		// d5 from two of its three sub-dimensions, d2 with an indicator short, and the total
		for (const code of ['d5_procedures', 'd2_transparency', 'd2_information_access', 'total'])
			expect(of(code), code).toMatchObject(incomplete);
		expect(of('d5_land_certificate')).toMatchObject({ result: undefined, suppressed: false });
		// the siblings with every part answered are shown
		for (const code of ['d5_certification', 'd5_commune_services', 'd2_poor_households'])
			expect(of(code).result?.n, code).toBe(12);
		expect(of('d1_participation')).toMatchObject({ suppressed: false, reason: null });
		expect(of('d1_participation').result!.n).toBe(12);

		// over both communes d5 and d2 have 12 answers to every part: shown; d7 and the total not
		const everyone = await waveResults(t.db, wave, new URLSearchParams());
		const all = (code: string) => everyone.measures.find((m) => m.measure.code === code)!;
		expect(all('d5_procedures').result!.n).toBe(24);
		expect(all('d2_transparency').result!.n).toBe(24);
		expect(all('d7_environment')).toMatchObject(incomplete);
		expect(all('total')).toMatchObject(incomplete);
		// the headline by commune: incomplete in both, so with its reason, not as a small group
		const byUnit = everyone.breakdowns.find((b) => b.by === 'unit')!.rows;
		expect(byUnit).toHaveLength(2);
		for (const row of byUnit) expect(row).toMatchObject(incomplete);
	});

	it("gives the plan's dashboard the same hidden composites, with the reason", async () => {
		const scores = await planScores(t.db, { instrument_id: instrumentId, weak_below: 0.5 });
		const row = (code: string) => scores.rows.find((r) => r.code === code)!;
		expect(row('d7_environment')).toMatchObject({
			latest: null,
			suppressed: true,
			reason: 'incomplete',
			weak: false
		});
		expect(row('d7_air')).toMatchObject({ latest: null, reason: 'incomplete' });
		expect(row('d7_water').latest!.n).toBe(24);
		expect(row('d5_procedures').latest!.n).toBe(24);
	});
});
