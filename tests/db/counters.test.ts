import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import { aggregateQueued } from '$lib/server/analytics/aggregate';
import { waveResults } from '$lib/server/analytics/results';
import { takeSnapshot, verifySnapshot } from '$lib/server/analytics/snapshot';
import {
	archiveCounter,
	createCounter,
	createKiosk,
	listCounters,
	revokeKiosk,
	updateCounter
} from '$lib/server/counters/counters';
import { kioskByToken, submitAtKiosk } from '$lib/server/counters/kiosk';
import { DomainError } from '$lib/server/forms/refusal';
import { latestPublished } from '$lib/server/surveys/instruments';
import { newSubmitKey } from '$lib/server/surveys/submit';
import { submitSurvey } from '$lib/server/surveys/take';
import { createWave, getWave, setWaveStatus } from '$lib/server/surveys/waves';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';
import { staffMember, unitInForce } from './places';

/** The counter kiosk (issue 22): the web survey's submission, with its counter and field. */
describe.each(backends)('counter kiosks on %s', (backend) => {
	let t: TestDb;
	let shop: number;
	let other: number;
	let waveId: number;
	let counterId: number;
	let official: Staff;
	let outsider: Staff;

	const rating = (n: string) => ({
		k_access: n,
		k_guidance: n,
		k_attitude: n,
		k_receipt: n,
		k_overall: n
	});

	/** An open wave of the shop with the counter questionnaire, as counters need. */
	async function openCounterWave(slug: string): Promise<number> {
		const id = await createWave(
			t.db,
			{
				slug,
				versionId: (await latestPublished(t.db, 'sipas-quay'))!.id,
				title: { vi: 'Đánh giá tại quầy', en: 'Counter rating' },
				layout: 'single',
				unitIds: [await unitInForce(t.db, '00913')],
				agencyId: shop
			},
			null
		);
		await setWaveStatus(t.db, id, 'open', null);
		return id;
	}

	async function refusal(p: Promise<unknown>): Promise<string> {
		try {
			await p;
		} catch (e) {
			if (e instanceof DomainError) return e.code;
			throw e;
		}
		return 'accepted';
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const viXuyen = await unitInForce(t.db, '00913');
		const [a, b] = await t.db
			.insertInto('agency')
			.values([
				{
					slug: 'mot-cua',
					name_vi: 'Bộ phận một cửa xã Vị Xuyên',
					name_en: 'Vị Xuyên one-stop shop',
					kind: 'one_stop_shop',
					unit_id: viXuyen
				},
				{ slug: 'khac', name_vi: 'Cơ quan khác', name_en: 'Other', kind: 'other', unit_id: viXuyen }
			])
			.returning('id')
			.execute();
		shop = a!.id;
		other = b!.id;
		official = await staffMember(t.db, 'o@x.vn', [{ role: 'official', agencyId: shop }]);
		outsider = await staffMember(t.db, 's@x.vn', [{ role: 'official', agencyId: other }]);
		waveId = await openCounterWave('quay');
		counterId = await createCounter(t.db, official, {
			agencyId: shop,
			name: 'Quầy số 1',
			fields: ['Hộ tịch', 'Đất đai'],
			waveId
		});
	});
	afterAll(async () => t?.close());

	it('lets only the agency’s staff make counters and kiosks, on an open wave of the agency', async () => {
		const c = { agencyId: shop, name: 'Quầy 2', fields: ['Hộ tịch'], waveId };
		expect(await refusal(createCounter(t.db, outsider, c))).toBe('forbidden');
		expect(await refusal(createCounter(t.db, outsider, { ...c, agencyId: other }))).toBe('wave');
		expect(await refusal(createKiosk(t.db, outsider, counterId, 'x'))).toBe('forbidden');
		expect(await listCounters(t.db, outsider)).toEqual([]);
		expect((await listCounters(t.db, official)).map((x) => x.name)).toEqual(['Quầy số 1']);
	});

	it('records the counter and the field with a kiosk response, to the hour only', async () => {
		const token = await createKiosk(t.db, official, counterId, 'Máy quầy 1');
		const kiosk = await kioskByToken(t.db, token);
		expect(kiosk?.counter.id).toBe(counterId);
		const receipt = await submitAtKiosk(t.db, kiosk!, {
			answers: rating('5'),
			field: 'Đất đai',
			submitKey: newSubmitKey()
		});
		const row = await t.db
			.selectFrom('survey_response')
			.select(['counter_id', 'field', 'submitted_hour', 'wave_id', 'mode'])
			.where('receipt', '=', receipt)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ counter_id: counterId, field: 'Đất đai', wave_id: waveId });
		expect(row.submitted_hour.getUTCMinutes() + row.submitted_hour.getUTCSeconds()).toBe(0);
		// nothing of the tablet on the response: the kiosk is not a column of it
		const columns = Object.keys(
			await t.db.selectFrom('survey_response').selectAll().executeTakeFirstOrThrow()
		);
		expect(columns.filter((c) => /kiosk|token/.test(c))).toEqual([]);
	});

	it('refuses a field the counter does not serve, and keeps the answers unstored', async () => {
		const kiosk = await kioskByToken(t.db, await createKiosk(t.db, official, counterId, ''));
		const before = await countResponses();
		const handing = { answers: rating('4'), field: 'Xây dựng', submitKey: newSubmitKey() };
		expect(await refusal(submitAtKiosk(t.db, kiosk!, handing))).toBe('field');
		expect(await countResponses()).toBe(before);
	});

	it('stores a resent rating once: the same key gives the same receipt', async () => {
		const kiosk = await kioskByToken(t.db, await createKiosk(t.db, official, counterId, ''));
		const before = await countResponses();
		const handing = { answers: rating('3'), field: 'Hộ tịch', submitKey: newSubmitKey() };
		const [first, second] = await Promise.all([
			submitAtKiosk(t.db, kiosk!, handing),
			submitAtKiosk(t.db, kiosk!, handing)
		]);
		const third = await submitAtKiosk(t.db, kiosk!, handing);
		expect(second).toBe(first);
		expect(third).toBe(first);
		expect(await countResponses()).toBe(before + 1);
	});

	it('refuses a revoked kiosk link, and an unknown one', async () => {
		const token = await createKiosk(t.db, official, counterId, 'Máy bị mất');
		expect(await kioskByToken(t.db, token)).not.toBeNull();
		const kioskId = (await listCounters(t.db, official))[0]!.kiosks.at(-1)!.id;
		expect(await refusal(revokeKiosk(t.db, outsider, kioskId))).toBe('forbidden');
		expect(await kioskByToken(t.db, token)).not.toBeNull();
		await revokeKiosk(t.db, official, kioskId);
		expect(await kioskByToken(t.db, token)).toBeNull();
		expect(
			await kioskByToken(t.db, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))
		).toBeNull();
		expect(await kioskByToken(t.db, 'short')).toBeNull();
		const audit = await t.db
			.selectFrom('audit_log')
			.select('action')
			.where('action', 'like', 'counter.%')
			.execute();
		expect(audit.map((a) => a.action)).toContain('counter.kiosk_revoke');
	});

	async function countResponses(): Promise<number> {
		const { n } = await t.db
			.selectFrom('survey_response')
			.select((e) => e.fn.countAll<string>().as('n'))
			.where('counter_id', '=', counterId)
			.executeTakeFirstOrThrow();
		return Number(n);
	}

	it('renames a counter and closes it: its kiosks are refused, its ratings kept', async () => {
		const c = await createCounter(t.db, official, {
			agencyId: shop,
			name: 'Quầy tạm',
			fields: ['Hộ tịch'],
			waveId
		});
		const token = await createKiosk(t.db, official, c, 'Máy tạm');
		await submitAtKiosk(t.db, (await kioskByToken(t.db, token))!, {
			answers: rating('4'),
			field: 'Hộ tịch',
			submitKey: newSubmitKey()
		});
		const change = { counterId: c, name: 'Quầy số 9', fields: ['Hộ tịch', 'Chứng thực'] };
		expect(await refusal(updateCounter(t.db, outsider, change))).toBe('forbidden');
		await updateCounter(t.db, official, change);
		expect(await refusal(archiveCounter(t.db, outsider, c))).toBe('forbidden');
		expect(await archiveCounter(t.db, official, c)).toBe('Quầy số 9');
		expect(await kioskByToken(t.db, token)).toBeNull();
		expect(await refusal(createKiosk(t.db, official, c, 'x'))).toBe('archived');
		expect(await refusal(updateCounter(t.db, official, change))).toBe('archived');
		expect(await refusal(archiveCounter(t.db, official, c))).toBe('archived');
		const listed = (await listCounters(t.db, official)).find((x) => x.id === c)!;
		expect(listed).toMatchObject({ name: 'Quầy số 9', fields: change.fields, responses: 1 });
		expect(listed.archivedAt).not.toBeNull();
		expect(listed.kiosks.every((k) => k.revokedAt !== null)).toBe(true);
	});

	it('gives each counter its results in the wave’s analytics, hiding a small one and what would give it away', async () => {
		const id = await openCounterWave('quay-nam');
		const wave = (await getWave(t.db, 'quay-nam'))!;
		const counter = async (name: string) => {
			const c = await createCounter(t.db, official, {
				agencyId: shop,
				name,
				fields: ['Hộ tịch'],
				waveId: id
			});
			return (await kioskByToken(t.db, await createKiosk(t.db, official, c, '')))!;
		};
		const [big, small] = [await counter('Quầy A'), await counter('Quầy B')];
		const rate = async (kiosk: typeof big, scores: string[]) => {
			for (const n of scores)
				await submitAtKiosk(t.db, kiosk, {
					answers: rating(n),
					field: 'Hộ tịch',
					submitKey: newSubmitKey()
				});
		};
		await rate(big, ['5', '5', '4', '4', '2', '1']);
		await rate(small, ['5', '1', '1']);
		const k = 5;
		const results = async (counterId?: number) => {
			const params = new URLSearchParams(counterId ? { counter: String(counterId) } : {});
			return waveResults(t.db, { id, versionId: wave.versionId }, params);
		};
		await aggregateQueued(t.db);
		await takeSnapshot(t.db, id, { k });
		// the counters' numbers agree with their raw answers, recomputed
		expect(await verifySnapshot(t.db, id)).toMatchObject({ checked: 3, differences: [] });
		// B has 3 ratings; A's 6 shown beside the wave's 9 would give B away: both hidden
		const first = await results();
		expect(first.respondents).toBe(9);
		const byCounter = first.breakdowns.find((b) => b.by === 'counter')!;
		expect(byCounter.rows.map((r) => [r.label.vi, r.suppressed])).toEqual([
			['Quầy A', true],
			['Quầy B', true]
		]);
		expect((await results(big.counter.id)).respondents).toBeNull();

		// six web answers make the rest of the wave big enough: A is shown, B still hidden
		for (let i = 0; i < 6; i++)
			await submitSurvey(t.db, wave, {
				answers: rating('3'),
				mode: 'web',
				submitKey: newSubmitKey()
			});
		await aggregateQueued(t.db);
		await takeSnapshot(t.db, id, { k });
		const a = await results(big.counter.id);
		expect(a.filter.counter).toBe(String(big.counter.id));
		expect(a.respondents).toBe(6);
		// satisfaction with the staff's attitude: 4 of A's 6 ratings are 4 or 5
		const overall = a.measures.find((r) => r.measure.code === 'cs_attitude')!;
		expect(overall.result?.estimate).toBeCloseTo(4 / 6, 10);
		expect(overall.result!.low).toBeLessThan(4 / 6);
		expect((await results(small.counter.id)).respondents).toBeNull();
		expect(a.breakdowns).toEqual([]);
	});
});
