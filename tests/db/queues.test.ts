import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant, Staff } from '$lib/auth/access';
import { auditPage } from '$lib/server/audit';
import { listUsersPage } from '$lib/server/auth/users';
import {
	agencyUnits,
	compliance,
	countStates,
	filterCells
} from '$lib/server/disclosures/compliance';
import {
	approveVersion,
	createDisclosure,
	saveVersion,
	type NewDisclosure
} from '$lib/server/disclosures/publish';
import { agencyDisclosures } from '$lib/server/disclosures/staff';
import { askQuestion, type NewQuestion } from '$lib/server/questions/ask';
import { acceptQuestion } from '$lib/server/questions/cases';
import { queuePage } from '$lib/server/questions/staff';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

/** The long lists' filters and pages, on the real queries. */
describe.each(backends)('queues that scale on %s', (backend) => {
	let t: TestDb;
	let province: number;
	let commune: number;
	let agencyA: number;
	let agencyB: number;
	let moderator: Staff;
	let officialA: Staff;
	let approverA: Staff;
	const codes: Record<string, string> = {};
	const ids: Record<string, number> = {};

	const user = (email: string, grants: Omit<Grant, 'unitId'>[]) => staffMember(t.db, email, grants);
	const question = (over: Partial<NewQuestion>): NewQuestion => ({
		topic: 'dat-dai',
		unitId: commune,
		agencyId: null,
		title: 'Hỏi về thủ tục đất đai',
		body: 'Xin hỏi thủ tục đất đai để cấp Giấy chứng nhận lần đầu gồm những gì?',
		name: 'Nguyễn Văn Hỏi',
		email: 'nguoi.hoi@example.vn',
		phone: '0912345678',
		consent: true,
		files: [],
		...over
	});

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		province = place.province;
		commune = place.commune;
		const [a, b] = await t.db
			.insertInto('agency')
			.values([
				{
					slug: 'a',
					name_vi: 'UBND xã',
					name_en: 'A',
					kind: 'commune_committee',
					unit_id: commune
				},
				{ slug: 'b', name_vi: 'Sở B', name_en: 'B', kind: 'department', unit_id: province }
			])
			.returning('id')
			.execute();
		agencyA = a!.id;
		agencyB = b!.id;
		moderator = await user('kiem.duyet@x.vn', [{ role: 'moderator', agencyId: null }]);
		officialA = await user('can.bo.a@x.vn', [{ role: 'official', agencyId: agencyA }]);
		approverA = await user('duyet.a@x.vn', [{ role: 'approver', agencyId: agencyA }]);

		// four pending questions received a day apart: land in the commune (two), housing in the
		// commune, residence in the province; and two routed, one to each agency
		const asked = [
			['land1', question({ title: 'Cấp sổ đỏ lần đầu' })],
			['land2', question({ title: 'Tách thửa đất ở' })],
			['housing', question({ topic: 'xay-dung', title: 'Giấy phép xây dựng nhà ở' })],
			['residence', question({ topic: 'ho-tich', unitId: province, title: 'Đăng ký thường trú' })],
			['routedA', question({ title: 'Chuyển mục đích sử dụng đất' })],
			['routedB', question({ title: 'Thuế đất phi nông nghiệp' })]
		] as const;
		for (const [i, [key, q]] of asked.entries()) {
			const r = await askQuestion(t.db, q, new Date(Date.UTC(2026, 10, 1 + i, 3)));
			codes[key] = r.code;
			ids[key] = r.id;
			await t.db
				.updateTable('question')
				.set({ received_at: new Date(Date.UTC(2026, 10, 1 + i, 3)), due_on: '2026-12-31' })
				.where('id', '=', r.id)
				.execute();
		}
		for (const [key, agency] of [
			['routedA', agencyA],
			['routedB', agencyB]
		] as const) {
			await acceptQuestion(t.db, moderator, ids[key]!, {
				agencyIds: [agency],
				topic: 'dat-dai',
				publicTitle: key,
				publicBody: 'Nội dung công khai của câu hỏi.'
			});
		}
	});
	afterAll(async () => t?.close());

	const now = new Date('2026-11-20T03:00:00Z');
	const moderation = async (f: Parameters<typeof queuePage>[3], size?: number) =>
		(await queuePage(t.db, 'moderation', [], f, now, size)).rows.map((r) => r.code);

	it('narrows the moderation queue by topic, area, words, code and overdue; sorts; pages', async () => {
		expect(await moderation({})).toEqual(
			['land1', 'land2', 'housing', 'residence'].map((k) => codes[k])
		);
		expect(await moderation({ sort: 'newest' })).toEqual(
			['residence', 'housing', 'land2', 'land1'].map((k) => codes[k])
		);
		expect(await moderation({ topic: 'xay-dung' })).toEqual([codes.housing]);
		expect(await moderation({ unitId: province })).toEqual([codes.residence]);
		// words without their diacritics, and a case's code as typed
		expect(await moderation({ q: 'so do' })).toEqual([codes.land1]);
		expect(await moderation({ q: codes.land2!.toLowerCase() })).toEqual([codes.land2]);
		expect(await moderation({ q: 'khong co cau nao nhu the' })).toEqual([]);

		// overdue: only the one whose due date has passed
		await t.db
			.updateTable('question')
			.set({ due_on: '2026-11-10' })
			.where('id', '=', ids.land2!)
			.execute();
		expect(await moderation({ overdue: true })).toEqual([codes.land2]);
		expect((await moderation({ sort: 'deadline' }))[0]).toBe(codes.land2);

		// pages of two, with the count of all that match
		const first = await queuePage(t.db, 'moderation', [], { page: 1 }, now, 2);
		const second = await queuePage(t.db, 'moderation', [], { page: 2 }, now, 2);
		expect(first.total).toBe(4);
		expect(second.total).toBe(4);
		expect([...first.rows, ...second.rows].map((r) => r.code)).toEqual(
			['land1', 'land2', 'housing', 'residence'].map((k) => codes[k])
		);
		expect((await queuePage(t.db, 'moderation', [], { page: 3 }, now, 2)).rows).toEqual([]);
	});

	it("keeps an agency's list to its own cases whatever the agency filter asks", async () => {
		const agency = async (agencyId: number | null) =>
			(await queuePage(t.db, 'agency', [agencyA], { agencyId }, now)).rows.map((r) => r.code);
		expect(await agency(null)).toEqual([codes.routedA]);
		expect(await agency(agencyA)).toEqual([codes.routedA]);
		expect(await agency(agencyB)).toEqual([]);
		expect((await queuePage(t.db, 'open', [], { agencyId: agencyB }, now)).rows).toHaveLength(1);
	});

	const budget = (over: Partial<NewDisclosure> = {}): NewDisclosure => ({
		typeCode: 'thuc-hien-ngan-sach-xa-quy',
		unitId: commune,
		agencyId: agencyA,
		period: '2026-Q1',
		title: 'Thực hiện ngân sách xã quý 1 năm 2026',
		summary: 'Số liệu thu, chi ngân sách quý 1.',
		bodyMd: 'Căn cứ Thông tư 343/2016/TT-BTC.',
		effectiveOn: '2026-04-10',
		files: [],
		...over
	});

	it("lists an agency's disclosures by words, type, area and status, a page at a time", async () => {
		const q1 = await createDisclosure(t.db, officialA, budget());
		await saveVersion(t.db, officialA, q1, budget(), [], true);
		await approveVersion(t.db, approverA, q1);
		const q2 = await createDisclosure(
			t.db,
			officialA,
			budget({ period: '2026-Q2', title: 'Thực hiện ngân sách xã quý 2 năm 2026' })
		);
		const poor = await createDisclosure(
			t.db,
			officialA,
			budget({ typeCode: 'danh-sach-ho-ngheo', period: '2026', title: 'Danh sách hộ nghèo 2026' })
		);
		await saveVersion(
			t.db,
			officialA,
			poor,
			budget({ typeCode: 'danh-sach-ho-ngheo', period: '2026', title: 'Danh sách hộ nghèo 2026' }),
			[],
			true
		);
		const list = async (f: Parameters<typeof agencyDisclosures>[2]) =>
			(await agencyDisclosures(t.db, [agencyA], f)).rows.map((r) => r.id).sort();

		expect(await list({})).toEqual([q1, q2, poor].sort());
		expect(await list({ status: 'published' })).toEqual([q1]);
		expect(await list({ status: 'draft' })).toEqual([q2]);
		expect(await list({ status: 'submitted' })).toEqual([poor]);
		expect(await list({ type: 'danh-sach-ho-ngheo' })).toEqual([poor]);
		expect(await list({ unitId: province })).toEqual([]);
		// a draft is found by the words of its title, a published item by its indexed text
		expect(await list({ q: 'quý 2 năm' })).toEqual([q2]);
		expect(await list({ q: 'ngan sach quy 1' })).toEqual([q1]);
		// another agency's staff see none of them, whatever they ask
		expect((await agencyDisclosures(t.db, [agencyB], {})).total).toBe(0);
		expect(await agencyDisclosures(t.db, [], {})).toEqual({ rows: [], total: 0 });

		const page1 = await agencyDisclosures(t.db, [agencyA], { page: 1 }, 2);
		const page2 = await agencyDisclosures(t.db, [agencyA], { page: 2 }, 2);
		expect([page1.total, page1.rows.length, page2.rows.length]).toEqual([3, 2, 1]);
	});

	it('says how many days late an item was published, and puts the own area first', async () => {
		// Q1's execution report was due on 15 April; published on 25 April (Việt Nam time)
		const [q1] = (await agencyDisclosures(t.db, [agencyA], { status: 'published' })).rows;
		await t.db
			.updateTable('disclosure')
			.set({ first_published_at: new Date('2026-04-25T02:00:00Z') })
			.where('id', '=', q1!.id)
			.execute();
		const c = await compliance(t.db, new Date('2026-06-01T03:00:00Z'));
		const cell = c.cells.find(
			(x) =>
				x.unitId === commune &&
				x.typeCode === 'thuc-hien-ngan-sach-xa-quy' &&
				x.period === '2026-Q1'
		);
		expect(cell).toMatchObject({ state: 'published', due: '2026-04-15', daysLate: 10 });
		expect(filterCells(c.cells, { state: 'late' })).toEqual([cell]);
		expect(countStates(c.cells).late).toBe(1);

		// on time is 0 days late, and not "late"
		await t.db
			.updateTable('disclosure')
			.set({ first_published_at: new Date('2026-04-14T02:00:00Z') })
			.where('id', '=', q1!.id)
			.execute();
		const onTime = await compliance(t.db, new Date('2026-06-01T03:00:00Z'));
		expect(filterCells(onTime.cells, { state: 'late' })).toEqual([]);

		// the commune's own official sees the commune first; a filter narrows to an area and type
		const own = await agencyUnits(t.db, [agencyA]);
		expect(own).toEqual([commune]);
		const ordered = filterCells(c.cells, {}, own);
		expect(ordered[0]!.unitId).toBe(commune);
		expect(filterCells(c.cells, {}, [province])[0]!.unitId).toBe(province);
		const narrowed = filterCells(c.cells, { unitId: commune, type: 'danh-sach-ho-ngheo' });
		expect(narrowed.length).toBeGreaterThan(0);
		expect(narrowed.every((x) => x.unitId === commune && x.typeCode === 'danh-sach-ho-ngheo')).toBe(
			true
		);
		// no state asked: everything but the upcoming items
		expect(filterCells(c.cells, {}).some((x) => x.state === 'upcoming')).toBe(false);
	});

	it('reads the audit log by action, actor and dates, with names instead of ids', async () => {
		const all = await auditPage(t.db, {});
		expect(all.total).toBeGreaterThan(3);
		const publish = await auditPage(t.db, { action: 'disclosure.publish' });
		expect(publish.rows.map((r) => r.action)).toEqual(['disclosure.publish']);
		expect(publish.rows[0]).toMatchObject({ actorEmail: 'duyet.a@x.vn', entityType: 'disclosure' });
		const accepted = await auditPage(t.db, { action: 'question.accepted' });
		expect(accepted.rows.map((r) => r.questionCode).sort()).toEqual(
			[codes.routedA, codes.routedB].sort()
		);
		const byActor = await auditPage(t.db, { actor: 'KIEM.DUYET' });
		expect(byActor.total).toBeGreaterThan(0);
		expect(byActor.rows.every((r) => r.actorEmail === 'kiem.duyet@x.vn')).toBe(true);

		// dates are Việt Nam days, both ends included
		const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
		expect((await auditPage(t.db, { from: today, to: today })).total).toBe(all.total);
		expect((await auditPage(t.db, { to: '2020-01-01' })).total).toBe(0);
		expect((await auditPage(t.db, { from: '2099-01-01' })).total).toBe(0);

		const pages = await Promise.all([1, 2].map((page) => auditPage(t.db, { page }, 2)));
		expect(pages[0]!.rows).toHaveLength(2);
		expect(pages[1]!.rows[0]!.id).toBeLessThan(pages[0]!.rows[1]!.id);
	});

	it('finds accounts by e-mail or name and by role, newest first, a page at a time', async () => {
		const all = await listUsersPage(t.db, {});
		expect(all.total).toBe(3);
		expect((await listUsersPage(t.db, { q: 'CAN.BO' })).rows.map((u) => u.email)).toEqual([
			'can.bo.a@x.vn'
		]);
		const approvers = await listUsersPage(t.db, { role: 'approver' });
		expect(approvers.rows.map((u) => u.email)).toEqual(['duyet.a@x.vn']);
		expect(approvers.rows[0]!.grants).toMatchObject([{ role: 'approver', agencyId: agencyA }]);
		expect((await listUsersPage(t.db, { role: 'admin' })).total).toBe(0);
		const page2 = await listUsersPage(t.db, { page: 2 }, 2);
		expect([page2.total, page2.rows.length]).toEqual([3, 1]);
	});
});
