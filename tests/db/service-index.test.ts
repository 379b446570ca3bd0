import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDossierCsv } from '$lib/dossiers/records';
import { dossierCodeHash } from '$lib/server/dossiers/codes';
import { importDossiers, type ImportBy } from '$lib/server/dossiers/import';
import { computeReport, publishedMonth, archiveMonths } from '$lib/server/service-index/archive';
import type { Figure, FigureKey, MonthReport, Row } from '$lib/service-index/figures';
import { latestPublished } from '$lib/server/surveys/instruments';
import { createWave } from '$lib/server/surveys/waves';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';
import { assignedQuestion, provinceWithCommune, staffMember } from './places';

/**
 * The Decision 766 figures of March 2026, seen on 10 April 2026, against values worked out by
 * hand from the dossiers and ratings below.
 */
const NOW = new Date('2026-04-10T03:00:00Z');

const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Số lần bổ sung';
const records = (...rows: string[]) => {
	const read = readDossierCsv(new TextEncoder().encode(`${[HEADER, ...rows].join('\r\n')}\r\n`));
	if ('problems' in read) throw new Error(JSON.stringify(read.problems));
	return read.records;
};
// agency A's dossiers; what each counts for in March is said beside it
const A_ROWS = [
	// received in March, offline; completed before its due day: on time in March
	'HS-1;Đăng ký khai sinh;Hộ tịch;02/03/2026;05/03/2026;04/03/2026;Trực tiếp;0',
	// received in March, online; completed after its due day: late since 07/03, late in March
	'HS-2;Đăng ký kết hôn;Hộ tịch;03/03/2026;06/03/2026;10/03/2026;Trực tuyến;0',
	// received in March, online; open, due 31/03: late since 01/04, an April outcome
	'HS-3;Chứng thực bản sao;Chứng thực;10/03/2026;31/03/2026;;Trực tuyến;0',
	// received in February; late since 28/02: a February outcome
	'HS-4;Đăng ký khai tử;Hộ tịch;20/02/2026;27/02/2026;02/03/2026;Trực tiếp;0',
	// received in February, online; completed on time in March
	'HS-5;Chuyển mục đích sử dụng đất;Đất đai;25/02/2026;05/03/2026;03/03/2026;Trực tuyến;0',
	// received in March, offline; no due day, completed in March: on time in March
	'HS-6;Đăng ký biến động;Đất đai;20/03/2026;;25/03/2026;Trực tiếp;0'
];

type Rating = { overall: number; waiting: number; visits: number };
const many = (count: number, r: Rating): Rating[] => Array.from({ length: count }, () => r);

const figure = (row: Row, key: FigureKey): Figure => row.figures.find((f) => f.key === key)!;
const shown = (row: Row, key: FigureKey) => {
	const f = figure(row, key);
	return f.pending ? 'pending' : f.hidden ? 'hidden' : [f.numerator, f.denominator];
};

describe.each(backends)('the Decision 766 monthly figures on %s', (backend) => {
	let t: TestDb;
	const ids: Record<'A' | 'B' | 'C', number> = { A: 0, B: 0, C: 0 };

	const rate = async (agency: number, field: string, month: string, list: Rating[]) => {
		await t.db
			.insertInto('dossier_rating')
			.values(
				list.map((r) => ({
					agency_id: agency,
					field,
					channel: 'offline' as const,
					month,
					overall: r.overall,
					attitude: 4,
					harassed: false,
					timeliness: 'on_time' as const,
					visits: r.visits,
					waiting_minutes: r.waiting,
					transparency: 4
				}))
			)
			.execute();
	};
	const by = (agencyId: number): ImportBy => ({
		agencyId,
		source: 'csv',
		userId: null,
		tokenId: null
	});

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		const rows = await t.db
			.insertInto('agency')
			.values(
				(['A', 'B', 'C'] as const).map((x) => ({
					slug: `mot-cua-${x.toLowerCase()}`,
					name_vi: `Bộ phận một cửa ${x}`,
					name_en: `One-stop shop ${x}`,
					kind: 'one_stop_shop' as const,
					unit_id: place.commune
				}))
			)
			.returning('id')
			.execute();
		[ids.A, ids.B, ids.C] = rows.map((r) => r.id);
		await importDossiers(t.db, by(ids.A), records(...A_ROWS));
		// apology letters: HS-2 (late in March) has an approved one, HS-4 (late in February) a draft
		const dossierId = async (code: string) =>
			(
				await t.db
					.selectFrom('dossier')
					.select('id')
					.where('code_hash', '=', dossierCodeHash(code))
					.executeTakeFirstOrThrow()
			).id;
		await t.db
			.insertInto('apology_letter')
			.values([
				{
					agency_id: ids.A,
					dossier_id: await dossierId('HS-2'),
					body: '…',
					state: 'approved',
					approved_at: new Date()
				},
				{ agency_id: ids.A, dossier_id: await dossierId('HS-4'), body: '…', state: 'draft' }
			])
			.execute();
		// a question sent to A, due 10 March and never answered: late since 11 March, a March case
		// of the Q&A's two ratios, neither on time nor satisfied
		const moderator = await staffMember(t.db, 'kiemduyet@766.test', [
			{ role: 'moderator', agencyId: null }
		]);
		await assignedQuestion(t.db, moderator, {
			unitId: place.commune,
			agencyId: ids.A,
			topic: 'ho-tich',
			title: 'Hỏi về đăng ký khai sinh',
			body: 'Xin hỏi đăng ký khai sinh cần giấy tờ gì?',
			dueOn: '2026-03-10'
		});
		// A: 12 ratings of Hộ tịch in March: 9 not unsatisfied; 10 waited 20 min, 2 waited 50; 8 in one visit
		await rate(ids.A, 'Hộ tịch', '2026-03-01', [
			...many(6, { overall: 4, waiting: 20, visits: 1 }),
			...many(2, { overall: 3, waiting: 20, visits: 1 }),
			...many(1, { overall: 5, waiting: 20, visits: 2 }),
			...many(1, { overall: 2, waiting: 20, visits: 2 }),
			...many(2, { overall: 1, waiting: 50, visits: 3 })
		]);
		// B: 4 ratings (fewer than k = 10): 3 not unsatisfied, 30 min each
		await rate(ids.B, 'Hộ tịch', '2026-03-01', [
			...many(2, { overall: 5, waiting: 30, visits: 1 }),
			{ overall: 3, waiting: 30, visits: 1 },
			{ overall: 1, waiting: 30, visits: 2 }
		]);
		// C: 11 ratings, all satisfied, 10 min each, one visit
		await rate(ids.C, 'Đất đai', '2026-03-01', many(11, { overall: 4, waiting: 10, visits: 1 }));
		// a rating of April is not March's
		await rate(ids.A, 'Hộ tịch', '2026-04-01', [{ overall: 1, waiting: 90, visits: 4 }]);
		// A's counter kiosk: a Chứng thực response at 23:00 on 31 March (Việt Nam), one at 00:00 on
		// 1 April (17:00 UTC, still 31 March in UTC): only the first is March's
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas-quay'))!;
		const wave = await createWave(
			t.db,
			{
				slug: 'quay-a',
				versionId: version.id,
				title: { vi: 'Đánh giá tại quầy', en: 'Counter rating' },
				layout: 'single',
				unitIds: [place.commune],
				agencyId: ids.A
			},
			null
		);
		const counter = await t.db
			.insertInto('counter')
			.values({ agency_id: ids.A, name: 'Quầy 1', fields: ['Chứng thực'], wave_id: wave })
			.returning('id')
			.executeTakeFirstOrThrow();
		await t.db
			.insertInto('survey_response')
			.values(
				['2026-03-31T16:00:00Z', '2026-03-31T17:00:00Z'].map((hour, i) => ({
					wave_id: wave,
					instrument_version_id: version.id,
					unit_id: null,
					mode: 'web' as const,
					submitted_hour: new Date(hour),
					receipt: `R-${i}`,
					submit_key_hash: new Uint8Array([i]),
					answers_digest: new Uint8Array([i]),
					counter_id: counter.id,
					field: 'Chứng thực'
				}))
			)
			.execute();
	});

	afterAll(async () => {
		await t?.close();
	});

	it('computes on time, online share and satisfaction as worked out by hand, and suppresses small and complementary groups', async () => {
		const report = await computeReport(t.db, '2026-03', NOW);
		const row = (id: number) => report.agencies.find((r) => r.agencyId === id)!;
		const a = row(ids.A);
		// decided in March: HS-1, HS-2 (late), HS-5, HS-6 → 3 of 4 on time
		expect(shown(a, 'on_time')).toEqual([3, 4]);
		expect(figure(a, 'on_time').value).toBe(0.75);
		// the one dossier late in March (HS-2) has an approved letter
		expect(shown(a, 'late_letters')).toEqual([1, 1]);
		expect(shown(report.province, 'late_letters')).toEqual([1, 1]);
		// February's late dossier (HS-4) has only a draft: it does not count
		const february = await computeReport(t.db, '2026-02', NOW);
		expect(
			shown(
				february.agencies.find((r) => r.agencyId === ids.A)!,
				'late_letters'
			)
		).toEqual([0, 1]);
		// received in March: HS-1 (offline), HS-2 and HS-3 (online), HS-6 (offline) → 2 of 4
		expect(shown(a, 'online')).toEqual([2, 4]);
		// A has 12 ratings: shown
		expect(shown(a, 'satisfaction')).toEqual([9, 12]);
		expect(shown(a, 'waiting')).toEqual([300, 12]);
		expect(figure(a, 'waiting').value).toBe(25);
		expect(shown(a, 'one_visit')).toEqual([8, 12]);
		// B has 4 ratings (< k): hidden. C has 11, but the province less A and C would give B
		// away: C, the smallest other, is hidden too; A and the province stay
		expect(shown(row(ids.B), 'satisfaction')).toBe('hidden');
		expect(shown(row(ids.B), 'waiting')).toBe('hidden');
		expect(shown(row(ids.C), 'satisfaction')).toBe('hidden');
		expect(figure(row(ids.C), 'satisfaction').numerator).toBeNull();
		// administrative figures are not suppressed: B has no dossiers, C neither
		expect(shown(row(ids.B), 'on_time')).toEqual([0, 0]);
		expect(figure(row(ids.B), 'on_time').value).toBeNull();
		// the province: every agency's counts added up
		expect(shown(report.province, 'on_time')).toEqual([3, 4]);
		expect(shown(report.province, 'satisfaction')).toEqual([9 + 3 + 11, 27]);
		expect(shown(report.province, 'waiting')).toEqual([300 + 120 + 110, 27]);
		expect(shown(report.province, 'one_visit')).toEqual([8 + 3 + 11, 27]);
		// the Q&A: A's one March case, late
		expect(shown(a, 'qa_on_time')).toEqual([0, 1]);
		expect(shown(a, 'qa_satisfaction')).toEqual([0, 1]);
		expect(shown(report.province, 'qa_on_time')).toEqual([0, 1]);
		expect(shown(row(ids.B), 'qa_on_time')).toEqual([0, 0]);
		// sampling per field: Hộ tịch 12 ratings for 2 dossiers; Chứng thực one kiosk response
		// for its one dossier; Đất đai none for one (below 15 %)
		const sampling = report.sampling.map((s) => [
			s.agencyId,
			s.field,
			s.received,
			s.sampled,
			s.below
		]);
		expect(sampling).toEqual([
			[ids.A, 'Chứng thực', 1, 1, false],
			[ids.A, 'Đất đai', 1, 0, true],
			[ids.A, 'Hộ tịch', 2, 12, false],
			[ids.B, 'Hộ tịch', 0, 4, false],
			[ids.C, 'Đất đai', 0, 11, false]
		]);
	});

	it('publishes the figures made from ratings only when the month is over', async () => {
		// on 10 April, April is in progress: its one rating (A's) and its kiosk response are
		// counted in the sampling, but
		// no figure made from ratings is shown; the dossier figures are
		const april = await computeReport(t.db, '2026-04', NOW);
		const a = april.agencies.find((r) => r.agencyId === ids.A)!;
		for (const row of [a, april.province])
			for (const key of ['satisfaction', 'waiting', 'one_visit'] as const) {
				expect(shown(row, key)).toBe('pending');
				expect(figure(row, key)).toMatchObject({ numerator: null, denominator: null, value: null });
			}
		expect(shown(april.province, 'on_time')).toEqual([0, 1]);
		expect(april.sampling.map((s) => [s.agencyId, s.field, s.sampled])).toEqual([
			[ids.A, 'Chứng thực', 1],
			[ids.A, 'Hộ tịch', 1]
		]);
	});

	it('shows a lone small agency only when the province does not give it away', async () => {
		// April, closed (read on 2 May): only A has a rating (1 < k): A hidden, and the province
		// (1 rating, A's) hidden too
		const april = await computeReport(t.db, '2026-04', new Date('2026-05-02T03:00:00Z'));
		expect(
			shown(
				april.agencies.find((r) => r.agencyId === ids.A)!,
				'satisfaction'
			)
		).toBe('hidden');
		expect(shown(april.province, 'satisfaction')).toBe('hidden');
		// HS-3 became late on 1 April: April's one decided dossier, late
		expect(shown(april.province, 'on_time')).toEqual([0, 1]);
	});

	it('freezes a closed month the first time it is read; the month in progress stays provisional', async () => {
		const first = (await publishedMonth(t.db, '2026-03', NOW))!;
		expect(first.provisional).toBe(false);
		expect(first.frozenAt).toBeInstanceOf(Date);
		// HS-2 re-imported as completed on time: the live figures change, the published ones do not
		await importDossiers(
			t.db,
			by(ids.A),
			records('HS-2;Đăng ký kết hôn;Hộ tịch;03/03/2026;06/03/2026;05/03/2026;Trực tuyến;0')
		);
		const live: MonthReport = await computeReport(t.db, '2026-03', NOW);
		expect(
			shown(
				live.agencies.find((r) => r.agencyId === ids.A)!,
				'on_time'
			)
		).toEqual([4, 4]);
		const again = (await publishedMonth(t.db, '2026-03', NOW))!;
		expect(
			shown(
				again.report.agencies.find((r) => r.agencyId === ids.A)!,
				'on_time'
			)
		).toEqual([3, 4]);
		expect(again.report).toEqual(first.report);

		const current = (await publishedMonth(t.db, '2026-04', NOW))!;
		expect(current.provisional).toBe(true);
		expect(await publishedMonth(t.db, '2026-05', NOW)).toBeNull();
		expect(await t.db.selectFrom('service_index_month').select('month').execute()).toEqual([
			{ month: '2026-03-01' }
		]);
		// the archive: from the first dossier (February) to the month before April
		expect(await archiveMonths(t.db, NOW)).toEqual(['2026-03', '2026-02']);
	});
});
