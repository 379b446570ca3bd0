import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import {
	approveVersion,
	createDisclosure,
	saveVersion,
	type NewDisclosure
} from '$lib/server/disclosures/publish';
import { sitemapEntries, sitemapXml } from '$lib/server/feeds/sitemap';
import { askQuestion } from '$lib/server/questions/ask';
import { acceptQuestion, rejectQuestion } from '$lib/server/questions/cases';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

describe.each(backends)('the sitemap on %s', (backend) => {
	let t: TestDb;
	let commune: number;
	let agency: number;
	let moderator: Staff;
	let official: Staff;
	let approver: Staff;

	const ask = (title: string) =>
		askQuestion(t.db, {
			topic: 'dat-dai',
			unitId: commune,
			agencyId: null,
			title,
			body: 'Xin hỏi thủ tục cấp Giấy chứng nhận quyền sử dụng đất lần đầu gồm những gì?',
			name: null,
			email: null,
			phone: null,
			consent: false,
			files: []
		});

	const disclosure = (typeCode: string, title: string): NewDisclosure => ({
		typeCode,
		unitId: commune,
		agencyId: agency,
		period: '2026',
		title,
		summary: 'Tóm tắt.',
		bodyMd: 'Nội dung.',
		effectiveOn: '2026-04-10',
		files: []
	});

	async function published(d: NewDisclosure) {
		const id = await createDisclosure(t.db, official, d);
		await saveVersion(t.db, official, id, d, [], true);
		await approveVersion(t.db, approver, id);
		return id;
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		commune = place.commune;
		agency = (
			await t.db
				.insertInto('agency')
				.values({
					slug: 'ubnd-xa',
					name_vi: 'UBND xã',
					name_en: 'Commune',
					kind: 'commune_committee',
					unit_id: commune
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
		moderator = await staffMember(t.db, 'mod@x.vn', [{ role: 'moderator', agencyId: null }]);
		official = await staffMember(t.db, 'o@x.vn', [{ role: 'official', agencyId: agency }]);
		approver = await staffMember(t.db, 'a@x.vn', [{ role: 'approver', agencyId: agency }]);
		await ensureInstruments(t.db);
	});
	afterAll(async () => t?.close());

	it('lists accepted questions, published disclosures and public plans, and nothing else', async () => {
		const accepted = await ask('Câu hỏi đã được duyệt công khai');
		await acceptQuestion(t.db, moderator, accepted.id, {
			agencyIds: [agency],
			topic: 'dat-dai',
			publicTitle: 'Câu hỏi đã được duyệt công khai',
			publicBody: 'Nội dung đã biên tập.'
		});
		const pending = await ask('Câu hỏi đang chờ kiểm duyệt');
		const rejected = await ask('Câu hỏi đã bị từ chối');
		await rejectQuestion(t.db, moderator, rejected.id, 'Không thuộc thẩm quyền.');

		const budget = await published(disclosure('du-toan-ngan-sach-xa', 'Dự toán ngân sách 2026'));
		const poor = await published(disclosure('danh-sach-ho-ngheo', 'Danh sách hộ nghèo 2026'));
		const draft = await createDisclosure(
			t.db,
			official,
			disclosure('du-toan-ngan-sach-xa', 'Bản nháp chưa công bố')
		);

		const instrument = await t.db
			.selectFrom('instrument')
			.select('id')
			.where('slug', '=', 'papi')
			.executeTakeFirstOrThrow();
		const plan = (status: 'draft' | 'active', title: string) =>
			t.db
				.insertInto('plan')
				.values({
					title,
					unit_id: commune,
					agency_id: agency,
					instrument_id: instrument.id,
					year_from: 2026,
					year_to: 2026,
					status,
					// a public plan has been adopted (migration 017)
					adopted_on: status === 'draft' ? null : '2026-01-05',
					report_frequency: 'quarterly'
				})
				.returning('id')
				.executeTakeFirstOrThrow();
		const activePlan = await plan('active', 'Kế hoạch đang thực hiện');
		const draftPlan = await plan('draft', 'Kế hoạch đang soạn');

		const paths = (await sitemapEntries(t.db)).map((e) => e.path);
		expect(paths).toContain('/');
		expect(paths).toContain(`/questions/${accepted.code}`);
		expect(paths).not.toContain(`/questions/${pending.code}`);
		expect(paths).not.toContain(`/questions/${rejected.code}`);
		expect(paths).toContain(`/disclosures/${budget}`);
		// personal data is public for its display period, never for search engines
		expect(paths).not.toContain(`/disclosures/${poor}`);
		expect(paths).not.toContain(`/disclosures/${draft}`);
		expect(paths).toContain(`/plans/${activePlan.id}`);
		expect(paths).not.toContain(`/plans/${draftPlan.id}`);
		expect(new Set(paths).size).toBe(paths.length);

		const entries = await sitemapEntries(t.db);
		const question = entries.find((e) => e.path === `/questions/${accepted.code}`);
		expect(new Date(question!.lastmod!).getTime()).not.toBeNaN();
	});

	it('stops at the limit it is given, main pages first', async () => {
		const entries = await sitemapEntries(t.db, 3);
		expect(entries.map((e) => e.path)).toEqual(['/', '/surveys', '/questions']);
	});
});

describe('sitemapXml', () => {
	it('writes absolute, escaped addresses and W3C dates', () => {
		const xml = sitemapXml('https://congdan.example.vn', [
			{ path: '/' },
			{ path: '/questions/HD-AB&C', lastmod: new Date('2026-12-01T03:04:05Z') }
		]);
		expect(xml).toContain('<loc>https://congdan.example.vn/</loc>');
		expect(xml).toContain(
			'<url><loc>https://congdan.example.vn/questions/HD-AB&amp;C</loc><lastmod>2026-12-01T03:04:05.000Z</lastmod></url>'
		);
		expect(xml).not.toContain('AB&C');
	});
});
