import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureDemoData } from '../../seeds/demo';
import { ensureInstruments } from '../../seeds/instruments';
import sipasJson from '../../seeds/instruments/sipas.json';
import { waveResults } from '$lib/server/analytics/results';
import { waveTrends } from '$lib/server/analytics/trends';
import { analyticsWave } from '$lib/server/analytics/waves';
import { loadGrants } from '$lib/server/auth/session';
import { planScores } from '$lib/server/plans/dashboard';
import { createInstrument, publishVersion, saveDraft } from '$lib/server/surveys/instruments';
import { hasSubIndices, instrumentSpec } from '$lib/surveys/spec';
import { backends, migratedDb, type TestDb } from './harness';

/** The SIPAS instrument's versions: number, status, and whether it has the policy sub-index. */
async function sipasVersions(t: TestDb) {
	const rows = await t.db
		.selectFrom('instrument_version as v')
		.innerJoin('instrument as i', 'i.id', 'v.instrument_id')
		.select(['v.id', 'v.instrument_id', 'v.version', 'v.status', 'v.spec'])
		.where('i.slug', '=', 'sipas')
		.orderBy('v.version')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		instrumentId: r.instrument_id,
		version: r.version,
		status: r.status,
		policy: hasSubIndices(instrumentSpec.parse(r.spec))
	}));
}

describe.each(backends)('SIPAS, five-element and 2023–2026 versions, on %s', (backend) => {
	describe('a new database with the demo', () => {
		let t: TestDb;
		beforeAll(async () => {
			t = await migratedDb(backend);
			await ensureAdminUnits(t.db);
		});
		afterAll(async () => t?.close());

		it('publishes the 2023–2026 version once, as the newest version of the same instrument', async () => {
			expect(await ensureInstruments(t.db)).toEqual([
				'papi v1',
				'sipas v1',
				'sipas v2',
				'sipas-quay v1'
			]);
			expect(await ensureInstruments(t.db)).toEqual([]);
			const versions = await sipasVersions(t);
			expect(versions.map(({ version, status, policy }) => ({ version, status, policy }))).toEqual([
				{ version: 1, status: 'published', policy: false },
				{ version: 2, status: 'published', policy: true }
			]);
			expect(new Set(versions.map((v) => v.instrumentId)).size).toBe(1);
		});

		it('runs the live demo wave on the new version and keeps the closed 2025 wave on the old', async () => {
			expect(await ensureDemoData(t.db)).toBe(true);
			const [v1, v2] = await sipasVersions(t);
			const wave = (slug: string) =>
				t.db
					.selectFrom('survey_wave')
					.select(['id', 'instrument_version_id', 'status', 'results_mode'])
					.where('slug', '=', slug)
					.executeTakeFirstOrThrow();
			const live = await wave('sipas-mot-cua-vi-xuyen-2026');
			expect(live).toMatchObject({
				instrument_version_id: v2!.id,
				status: 'open',
				results_mode: 'live'
			});
			expect(await wave('sipas-vi-xuyen-2025')).toMatchObject({
				instrument_version_id: v1!.id,
				status: 'closed'
			});
			// the synthetic respondents of the live wave answered the policy part too
			const policyAnswers = await t.db
				.selectFrom('survey_answer as a')
				.innerJoin('survey_response as r', 'r.id', 'a.response_id')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('r.wave_id', '=', live.id)
				.where('a.question_code', '=', 'pol_fit_sat')
				.executeTakeFirstOrThrow();
			expect(Number(policyAnswers.n)).toBe(120);
		});

		it('shows each wave its own index, labelled, and lines up the old index with the service sub-index', async () => {
			const analyst = await t.db
				.selectFrom('app_user')
				.select(['id', 'email', 'display_name'])
				.where('email', '=', 'phantich@demo.civicvoice.vn')
				.executeTakeFirstOrThrow();
			const user = {
				id: analyst.id,
				email: analyst.email,
				displayName: analyst.display_name,
				grants: await loadGrants(t.db, analyst.id)
			};
			const ids = await t.db
				.selectFrom('survey_wave')
				.select(['id', 'slug'])
				.where('slug', 'in', ['sipas-vi-xuyen-2025', 'sipas-mot-cua-vi-xuyen-2026'])
				.execute();
			const idOf = (slug: string) => String(ids.find((w) => w.slug === slug)!.id);
			const old = await analyticsWave(t.db, user, idOf('sipas-vi-xuyen-2025'));
			const live = await analyticsWave(t.db, user, idOf('sipas-mot-cua-vi-xuyen-2026'));

			const oldResults = await waveResults(t.db, old);
			const oldIndex = oldResults.measures[0]!;
			expect(oldIndex.measure.title.vi).toBe(
				'Chỉ số hài lòng về sự phục vụ hành chính (5 yếu tố, phương pháp QĐ 2640/QĐ-BNV)'
			);
			expect(oldResults.measures.some((m) => m.measure.level === 'subindex')).toBe(false);
			expect(oldIndex.result!.n).toBe(100);

			const liveResults = await waveResults(t.db, live);
			expect(liveResults.measures.slice(0, 4).map((m) => `${m.number} ${m.measure.code}`)).toEqual([
				' total',
				'1 policy_index',
				'1.1 policy_information',
				'1.1.1 pol_info_channels'
			]);
			const value = (code: string) =>
				liveResults.measures.find((m) => m.measure.code === code)!.result!.estimate;
			expect(value('total')).toBeCloseTo((value('policy_index') + value('service_index')) / 2, 12);

			const trends = await waveTrends(t.db, user, live, { unit: null, band: null });
			expect(trends.waves.map((w) => w.year)).toEqual([2025, 2026]);
			expect(trends.rows.slice(0, 4).map((r) => r.code)).toEqual([
				'total',
				'policy_index',
				'service_index',
				'policy_information'
			]);
			const row = (code: string) => trends.rows.find((r) => r.code === code)!;
			// 2025 measured neither the 2023–2026 index nor its policy part
			expect(row('total').cells[0]!.result).toBeUndefined();
			expect(row('policy_index').cells[0]!.result).toBeUndefined();
			// its five-element index is the service sub-index, so the change is measured
			expect(row('service_index').cells[0]!.result!.estimate).toBeCloseTo(
				oldIndex.result!.estimate,
				12
			);
			expect(row('service_index').cells[1]!.change).not.toBeNull();
			expect(row('access').cells[0]!.result!.n).toBe(100);
			// the target of the plan's 90% satisfaction with procedures sits on the service sub-index
			expect(row('service_index').target).toBe(0.9);

			// and seen from the old wave, its index is followed into the new wave
			const back = await waveTrends(t.db, user, old, { unit: null, band: null });
			expect(back.rows[0]!.code).toBe('total');
			const service = liveResults.measures.find((m) => m.measure.code === 'service_index')!;
			expect(back.rows[0]!.cells[1]!.result).toEqual(service.result);

			const scores = await planScores(t.db, { instrument_id: live.instrumentId, weak_below: 0.5 });
			const serviceRow = scores.rows.find((r) => r.code === 'service_index')!;
			expect(serviceRow).toMatchObject({ number: '2', level: 'subindex' });
			expect(serviceRow.change!.value).toBeCloseTo(
				value('service_index') - oldIndex.result!.estimate,
				12
			);
		});
	});

	describe('a database seeded before the 2023–2026 version', () => {
		let t: TestDb;
		beforeAll(async () => {
			t = await migratedDb(backend);
			const old = await createInstrument(t.db, instrumentSpec.parse(sipasJson), null);
			await publishVersion(t.db, old.id, null);
		});
		afterAll(async () => t?.close());

		it('waits while staff have a draft open, then adds the new version once', async () => {
			const [v1] = await sipasVersions(t);
			const edited = { ...instrumentSpec.parse(sipasJson), estimatedMinutes: 12 };
			const draft = await saveDraft(t.db, v1!.instrumentId, edited, null);
			// publishing a seed version now would overwrite the draft: wait
			expect(await ensureInstruments(t.db)).toEqual(['papi v1', 'sipas-quay v1']);
			expect((await sipasVersions(t)).map((v) => v.status)).toEqual(['published', 'draft']);
			await publishVersion(t.db, draft.id, null);
			expect(await ensureInstruments(t.db)).toEqual(['sipas v3']);
			expect(await ensureInstruments(t.db)).toEqual([]);
			expect((await sipasVersions(t)).map(({ version, policy }) => ({ version, policy }))).toEqual([
				{ version: 1, policy: false },
				{ version: 2, policy: false },
				{ version: 3, policy: true }
			]);
		});
	});
});
