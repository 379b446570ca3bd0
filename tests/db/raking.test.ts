import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import type { Staff } from '$lib/auth/access';
import { answeredMeasure, optionMeasure, RESPONDENTS } from '$lib/analytics/cells';
import { aggregateQueued, verifyWave } from '$lib/server/analytics/aggregate';
import { microdataStream } from '$lib/server/analytics/microdata';
import { latestPublished } from '$lib/server/surveys/instruments';
import { applyRaking, rakeWave, removeRaking, waveRaking } from '$lib/server/surveys/raking';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import { replaceWeights } from '$lib/server/surveys/weights';
import type { CleanAnswer } from '$lib/surveys/answers';
import { allQuestions, type InstrumentSpec } from '$lib/surveys/spec';
import { backends, migratedDb, type TestDb } from './harness';
import { MICRODATA_HEADER } from './responses';
import { staffMember, unitInForce } from './places';

const URBAN = '00691'; // Phường Hà Giang 2
const RURAL = '00715'; // Xã Lũng Cú
const GENDERS = ['male', 'female', 'refuse'] as const;

/** Respondent i: gender by i mod 3 (a third refuse), every other choice question at random. */
function answersOf(spec: InstrumentSpec, i: number): CleanAnswer[] {
	let state = i + 7;
	const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	return allQuestions(spec).flatMap((q): CleanAnswer[] => {
		if (q.code === 'gender') return [{ code: q.code, options: [GENDERS[i % 3]!] }];
		return 'options' in q
			? [{ code: q.code, options: [q.options[Math.floor(next() * q.options.length)]!.code] }]
			: [];
	});
}

/** A census-like table: more women than men, a quarter of the people in town. */
const MARGINS = [
	'# Số liệu minh họa',
	'gender, male, 480 000',
	'gender, female, 520 000',
	'urban_rural, urban, 250 000',
	'urban_rural, rural, 750 000'
].join('\n');

describe.each(backends)('raking a wave to population margins on %s', (backend) => {
	let t: TestDb;
	let waveId: number;
	let analyst: Staff;
	let spec: InstrumentSpec;
	let versionId: number;
	const communes: Record<string, number> = {};

	const raked = () =>
		t.db
			.selectFrom('survey_response as r')
			.innerJoin('admin_unit as u', 'u.id', 'r.unit_id')
			.select(['r.id', 'r.raked_weight', 'r.closed_answers', 'u.code'])
			.where('r.wave_id', '=', waveId)
			.execute();
	const cell = async (measure: string) =>
		t.db
			.selectFrom('analytics_cell')
			.select(['n', 'w', 'wy'])
			.where('wave_id', '=', waveId)
			.where('grouping', '=', '')
			.where('cell', '=', '')
			.where('measure', '=', measure)
			.executeTakeFirstOrThrow();
	const stored = async () => ({
		rakings: (await t.db.selectFrom('survey_wave_raking').selectAll().execute()).length,
		margins: (await t.db.selectFrom('survey_wave_margin').selectAll().execute()).length,
		weights: (await raked()).filter((r) => r.raked_weight !== null).length,
		audited: (
			await t.db.selectFrom('audit_log').select('id').where('action', '=', 'wave.rake').execute()
		).length
	});

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas'))!;
		spec = version.spec;
		versionId = version.id;
		communes[URBAN] = await unitInForce(t.db, URBAN);
		communes[RURAL] = await unitInForce(t.db, RURAL);
		waveId = await createWave(
			t.db,
			{
				slug: 'raking',
				versionId,
				title: { vi: 'Hiệu chỉnh', en: 'Raking' },
				unitIds: Object.values(communes)
			},
			null
		);
		await setWaveStatus(t.db, waveId, 'open', null);
		// 60 responses: every fourth from town
		for (let i = 0; i < 60; i++) {
			const result = await submitResponse(t.db, {
				waveId,
				versionId,
				unitId: i % 4 === 1 ? communes[URBAN]! : communes[RURAL]!,
				mode: 'web',
				submitKey: `raking-${i}-0123456789`,
				answers: answersOf(spec, i)
			});
			expect(result.ok).toBe(true);
		}
		while ((await aggregateQueued(t.db)) > 0);
		analyst = await staffMember(t.db, 'raking@example.vn', [{ role: 'analyst', agencyId: null }]);
		// design weights: the town's respondents count twice (D = 15 · 2 + 45 · 1 = 75)
		await replaceWeights(t.db, waveId, [{ code: URBAN, weight: 2 }], analyst.id);
	});
	afterAll(async () => t?.close());

	it('refuses margins text with line-numbered reasons and stores nothing', async () => {
		const outcome = await rakeWave(t.db, analyst, waveId, {
			text: 'gender, male, 480 000\ngender, nam, 5\nsex, female, 5\ngender, female, 12,5',
			source: 'Thử',
			illustrative: true
		});
		expect(outcome).toMatchObject({
			ok: false,
			reason: 'margins',
			problems: [
				{ line: 2, reason: 'category' },
				{ line: 3, reason: 'variable' },
				{ line: 4, reason: 'number' }
			]
		});
		expect(await stored()).toEqual({ rakings: 0, margins: 0, weights: 0, audited: 0 });
	});

	it('refuses a category with people and no respondents, naming its line, and stores nothing', async () => {
		const outcome = await rakeWave(t.db, analyst, waveId, {
			text: `${MARGINS}\ngender, other, 3 000`,
			source: 'Thử',
			illustrative: true
		});
		expect(outcome).toEqual({
			ok: false,
			reason: 'categories',
			refusals: [{ variable: 'gender', category: 'other', reason: 'no-sample', line: 6 }]
		});
		expect(await stored()).toEqual({ rakings: 0, margins: 0, weights: 0, audited: 0 });
	});

	it('stores nothing when the raking cannot meet the margins within the bounds', async () => {
		const outcome = await applyRaking(
			t.db,
			waveId,
			{ text: MARGINS, source: 'Thử', illustrative: true },
			analyst.id,
			{ lower: 0.99, upper: 1.01, maxIterations: 200 }
		);
		expect(outcome).toMatchObject({ ok: false, reason: 'not-converged' });
		expect(await stored()).toEqual({ rakings: 0, margins: 0, weights: 0, audited: 0 });
	});

	it('lets nobody rake without fieldwork scope over the wave’s communes', async () => {
		const hanoi = await unitInForce(t.db, '01');
		const outsider: Staff = {
			id: analyst.id,
			grants: [{ role: 'analyst', agencyId: null, unitId: hanoi }]
		};
		const official: Staff = {
			id: analyst.id,
			grants: [{ role: 'official', agencyId: 1, unitId: null }]
		};
		for (const staff of [outsider, official]) {
			const input = { text: MARGINS, source: 'Thử', illustrative: true };
			expect(await rakeWave(t.db, staff, waveId, input)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await removeRaking(t.db, staff, waveId)).toEqual({ ok: false });
		}
		expect(await stored()).toEqual({ rakings: 0, margins: 0, weights: 0, audited: 0 });
	});

	it('rakes: the stored weights reproduce the margins, and the cells are rebuilt with them', async () => {
		const outcome = await rakeWave(t.db, analyst, waveId, {
			text: MARGINS,
			source: 'Số liệu minh họa',
			illustrative: true
		});
		if (!outcome.ok) throw new Error(JSON.stringify(outcome));
		expect(outcome.report.converged).toBe(true);
		expect(outcome.report.respondents).toBe(60);
		expect(await stored()).toEqual({ rakings: 1, margins: 4, weights: 60, audited: 1 });

		// D = 75 (design weights). A third refused their gender: they keep their design weight; the
		// rest, D less that, is 48 % men and 52 % women. The town has 25 % of D, the country 75 %.
		const rows = await raked();
		const design = (code: string) => (code === URBAN ? 2 : 1);
		const genderOf = (answers: string) => /(?:^|&)gender=([^&]*)/.exec(answers)![1];
		const total = rows.reduce((s, r) => s + design(r.code), 0);
		expect(total).toBe(75);
		const refusedDesign = rows
			.filter((r) => genderOf(r.closed_answers) === 'refuse')
			.reduce((s, r) => s + design(r.code), 0);
		const sum = (keep: (r: (typeof rows)[number]) => boolean) =>
			rows.filter(keep).reduce((s, r) => s + r.raked_weight!, 0);
		const close = (actual: number, target: number) =>
			expect(Math.abs(actual - target) / target).toBeLessThanOrEqual(1e-6);
		close(
			sum((r) => genderOf(r.closed_answers) === 'male'),
			(75 - refusedDesign) * 0.48
		);
		close(
			sum((r) => genderOf(r.closed_answers) === 'female'),
			(75 - refusedDesign) * 0.52
		);
		close(
			sum((r) => genderOf(r.closed_answers) === 'refuse'),
			refusedDesign
		);
		close(
			sum((r) => r.code === URBAN),
			75 * 0.25
		);
		close(
			sum((r) => r.code === RURAL),
			75 * 0.75
		);

		// the wave's cells: every respondent with the raked weight, and a share worked out by hand
		expect(Number((await cell(RESPONDENTS)).w)).toBeCloseTo(
			sum(() => true),
			9
		);
		const question = 'overall_satisfaction';
		const answers = await t.db
			.selectFrom('survey_answer as a')
			.innerJoin('survey_response as r', 'r.id', 'a.response_id')
			.innerJoin('admin_unit as u', 'u.id', 'r.unit_id')
			.select(['a.option_code', 'r.raked_weight', 'u.code'])
			.where('r.wave_id', '=', waveId)
			.where('a.question_code', '=', question)
			.execute();
		const share = (weight: (a: (typeof answers)[number]) => number, option: string) =>
			answers.filter((a) => a.option_code === option).reduce((s, a) => s + weight(a), 0) /
			answers.reduce((s, a) => s + weight(a), 0);
		const base = Number((await cell(answeredMeasure(question))).w);
		let moved = 0;
		for (const option of ['1', '2', '3', '4', '5', 'dk']) {
			const byHand = share((a) => a.raked_weight!, option);
			const shown = Number((await cell(optionMeasure(question, option))).w) / base;
			expect(shown).toBeCloseTo(byHand, 12);
			if (Math.abs(byHand - share((a) => design(a.code), option)) > 1e-3) moved++;
		}
		// the raking changed these shares: the cells cannot have kept the design weights
		expect(moved).toBeGreaterThan(0);
		expect((await verifyWave(t.db, waveId)).differences).toEqual([]);

		const saved = await waveRaking(t.db, waveId);
		expect(saved).toMatchObject({ source: 'Số liệu minh họa', illustrative: true });
		expect(saved!.margins.map((m) => m.variable)).toEqual(['gender', 'urban_rural']);
		expect(saved!.raked).toMatchObject({ responses: 60, report: { converged: true } });
	});

	it('exports the final weight and the design weight side by side', async () => {
		const stream = microdataStream(t.db, waveId, spec, MICRODATA_HEADER, false);
		const text = new TextDecoder().decode(await new Response(stream).arrayBuffer());
		const lines = text.trimEnd().split('\r\n');
		const header = lines[0]!.replace('\uFEFF', '').split(',');
		expect(header.slice(0, 6)).toEqual(['row', 'unit', 'mode', 'day', 'weight', 'design_weight']);
		const rows = await raked();
		const weights = new Set(rows.map((r) => r.raked_weight!.toFixed(6)));
		for (const line of lines.slice(1)) {
			const [, unit, , , weight, design] = line.split(',');
			expect(weights.has(Number(weight).toFixed(6))).toBe(true);
			expect(Number(design)).toBe(unit === URBAN ? 2 : 1);
		}
	});

	it('counts a response that arrives after the raking with its design weight', async () => {
		const before = Number((await cell(RESPONDENTS)).w);
		const result = await submitResponse(t.db, {
			waveId,
			versionId,
			unitId: communes[URBAN]!,
			mode: 'web',
			submitKey: 'raking-late-0123456789',
			answers: answersOf(spec, 99)
		});
		expect(result.ok).toBe(true);
		while ((await aggregateQueued(t.db)) > 0);
		expect(Number((await cell(RESPONDENTS)).w)).toBeCloseTo(before + 2, 9);
		expect((await stored()).weights).toBe(60);
		expect((await waveRaking(t.db, waveId))!.raked!.responses).toBe(60);
	});

	it('drops the raked weights, not the margins, when the design weights change', async () => {
		const { unraked } = await replaceWeights(
			t.db,
			waveId,
			[{ code: URBAN, weight: 3 }],
			analyst.id
		);
		expect(unraked).toBe(true);
		const saved = await waveRaking(t.db, waveId);
		expect(saved!.raked).toBeNull();
		expect(saved!.margins).toHaveLength(2);
		expect((await stored()).weights).toBe(0);
		// 16 town respondents weigh 3, 45 others 1
		expect(Number((await cell(RESPONDENTS)).w)).toBeCloseTo(16 * 3 + 45, 9);
	});

	it('removes the raking: the design weights apply again', async () => {
		const again = await rakeWave(t.db, analyst, waveId, {
			text: MARGINS,
			source: 'Số liệu minh họa',
			illustrative: true
		});
		expect(again.ok).toBe(true);
		expect((await stored()).weights).toBe(61);
		expect(await removeRaking(t.db, analyst, waveId)).toEqual({ ok: true });
		expect(await waveRaking(t.db, waveId)).toBeNull();
		expect(await stored()).toMatchObject({ rakings: 0, margins: 0, weights: 0 });
		expect(Number((await cell(RESPONDENTS)).w)).toBeCloseTo(16 * 3 + 45, 9);
		const actions = await t.db
			.selectFrom('audit_log')
			.select('action')
			.where('action', 'in', ['wave.rake', 'wave.unrake'])
			.orderBy('id')
			.execute();
		expect(actions.map((a) => a.action)).toEqual(['wave.rake', 'wave.rake', 'wave.unrake']);
	});
});
