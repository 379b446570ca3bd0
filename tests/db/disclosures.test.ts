import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant, Staff } from '$lib/auth/access';
import { DomainError } from '$lib/server/forms/refusal';
import { disclosureItemSchema, openDataJsonSchema } from '$lib/disclosures/open-data';
import { compliance } from '$lib/server/disclosures/compliance';
import { openDataItem, openDataList } from '$lib/server/disclosures/open-data';
import {
	listDisclosures,
	publicDisclosure,
	type DisclosureFilter
} from '$lib/server/disclosures/public';
import {
	approveVersion,
	createDisclosure,
	removeFile,
	saveVersion,
	startCorrection,
	withdrawDisclosure,
	type NewDisclosure
} from '$lib/server/disclosures/publish';
import { staffDisclosure } from '$lib/server/disclosures/staff';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

const all: DisclosureFilter = { q: '', type: null, unitId: null, period: null, page: 1 };
const SHA = 'a'.repeat(64);

describe.each(backends)('disclosures on %s', (backend) => {
	let t: TestDb;
	let commune: number;
	let agencyA: number;
	let official: Staff;
	let approver: Staff;
	let both: Staff;
	let stranger: Staff;

	const user = (email: string, grants: Omit<Grant, 'unitId'>[]) => staffMember(t.db, email, grants);

	const budget = (over: Partial<NewDisclosure> = {}): NewDisclosure => ({
		typeCode: 'thuc-hien-ngan-sach-xa-quy',
		unitId: commune,
		agencyId: agencyA,
		period: '2026-Q1',
		title: 'Thực hiện ngân sách xã quý 1 năm 2026',
		summary: 'Số liệu thu, chi ngân sách quý 1.',
		bodyMd: 'Căn cứ **Thông tư 343/2016/TT-BTC**.',
		effectiveOn: '2026-04-10',
		files: [
			{
				sha256: SHA,
				name: 'ngan-sach.csv',
				size: 20,
				mime: 'text/csv; charset=utf-8',
				tableJson: JSON.stringify({
					columns: ['Nội dung', 'Số tiền'],
					rows: [['Chi', 5]],
					numeric: [false, true]
				})
			}
		],
		...over
	});

	async function published(over: Partial<NewDisclosure> = {}) {
		const id = await createDisclosure(t.db, official, budget(over));
		const b = budget(over);
		await saveVersion(t.db, official, id, b, [], true);
		await approveVersion(t.db, approver, id);
		return id;
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		const province = { id: place.province };
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
				{ slug: 'b', name_vi: 'Sở khác', name_en: 'B', kind: 'department', unit_id: province.id }
			])
			.returning('id')
			.execute();
		agencyA = a!.id;
		official = await user('o@x.vn', [{ role: 'official', agencyId: agencyA }]);
		approver = await user('a@x.vn', [{ role: 'approver', agencyId: agencyA }]);
		both = await user('b@x.vn', [
			{ role: 'official', agencyId: agencyA },
			{ role: 'approver', agencyId: agencyA }
		]);
		stranger = await user('s@x.vn', [
			{ role: 'official', agencyId: b!.id },
			{ role: 'approver', agencyId: b!.id }
		]);
	});
	afterAll(async () => t?.close());

	it('publishes through an approver only, and never a draft', async () => {
		const id = await createDisclosure(t.db, official, budget());
		expect(await publicDisclosure(t.db, id)).toBeUndefined();
		await expect(createDisclosure(t.db, stranger, budget())).rejects.toMatchObject({
			code: 'forbidden'
		});
		await expect(saveVersion(t.db, stranger, id, budget(), [], true)).rejects.toMatchObject({
			code: 'forbidden'
		});
		await saveVersion(t.db, official, id, budget(), [], true);
		await expect(approveVersion(t.db, official, id)).rejects.toMatchObject({ code: 'forbidden' });
		await approveVersion(t.db, approver, id);
		const shown = await publicDisclosure(t.db, id);
		expect(shown?.status).toBe('published');
		expect(shown?.versions.map((v) => v.number)).toEqual([1]);
		expect(shown?.versions[0]?.files[0]).toMatchObject({ sha256: SHA, name: 'ngan-sach.csv' });
	});

	it('refuses an approver’s own draft and a period that does not fit the type', async () => {
		const id = await createDisclosure(t.db, both, budget());
		await saveVersion(t.db, both, id, budget(), [], true);
		await expect(approveVersion(t.db, both, id)).rejects.toMatchObject({
			code: 'own_draft',
			status: 409
		});
		// each refusal of the form beside the field to blame, so the summary links to it
		const period = await createDisclosure(t.db, official, budget({ period: 'Quý 3/2026' })).then(
			() => undefined,
			(e: unknown) => e
		);
		expect(period).toBeInstanceOf(DomainError);
		expect(period).toMatchObject({ code: 'period', status: 400 });
		expect(Object.keys((period as DomainError).fields)).toEqual(['period']);
		await expect(
			createDisclosure(t.db, official, budget({ typeCode: 'khong-co' }))
		).rejects.toMatchObject({
			code: 'bad_choice',
			status: 400,
			fields: { type: expect.any(String) }
		});
	});

	it('never lets an approver publish a version they wrote or changed, whoever saved it last', async () => {
		// written by the approver, re-saved unchanged and submitted by a colleague
		const id = await createDisclosure(t.db, both, budget());
		await saveVersion(t.db, official, id, budget(), [], true);
		await expect(approveVersion(t.db, both, id)).rejects.toMatchObject({ code: 'own_draft' });
		const seen = await staffDisclosure(t.db, both, id);
		expect(seen.versions[0]?.byViewer).toBe(true);
		expect((await staffDisclosure(t.db, approver, id)).versions[0]?.byViewer).toBe(false);
		await approveVersion(t.db, approver, id);

		// a correction carries the text of the version it copies, and so its writers
		await startCorrection(t.db, official, id, 'Sửa số liệu');
		await saveVersion(t.db, official, id, budget(), [], true);
		await expect(approveVersion(t.db, both, id)).rejects.toMatchObject({ code: 'own_draft' });

		// the approver only removed a file of someone else's draft
		const other = await createDisclosure(t.db, official, budget({ title: 'Báo cáo khác' }));
		const file = (await staffDisclosure(t.db, official, other)).versions[0]!.files[0]!;
		await removeFile(t.db, both, other, file.id);
		await saveVersion(t.db, official, other, budget({ title: 'Báo cáo khác' }), [], true);
		await expect(approveVersion(t.db, both, other)).rejects.toMatchObject({ code: 'own_draft' });
		await approveVersion(t.db, approver, other);
	});

	it('sends a submitted version back to draft when a file is removed or added', async () => {
		const id = await createDisclosure(t.db, official, budget());
		await saveVersion(t.db, official, id, budget(), [], true);
		const file = (await staffDisclosure(t.db, official, id)).versions[0]!.files[0]!;
		await removeFile(t.db, official, id, file.id);
		const afterRemoval = (await staffDisclosure(t.db, approver, id)).versions[0]!;
		expect(afterRemoval.status).toBe('draft');
		expect(afterRemoval.files).toEqual([]);
		await expect(approveVersion(t.db, approver, id)).rejects.toMatchObject({ code: 'state' });

		await saveVersion(t.db, official, id, budget(), [], true);
		await saveVersion(t.db, official, id, budget(), budget().files, false);
		expect((await staffDisclosure(t.db, approver, id)).versions[0]!.status).toBe('draft');
		await expect(approveVersion(t.db, approver, id)).rejects.toMatchObject({ code: 'state' });
	});

	it('refuses, in the database too, a version published by one of its contributors', async () => {
		const id = await createDisclosure(t.db, both, budget());
		await saveVersion(t.db, official, id, budget(), [], true);
		await expect(
			t.db
				.updateTable('disclosure_version')
				.set({ status: 'published', approved_by: both.id, published_at: new Date() })
				.where('disclosure_id', '=', id)
				.execute()
		).rejects.toThrow(/contributors/);
	});

	it('keeps every published version, and a withdrawn item listed with its reason', async () => {
		const id = await published({ title: 'Bản đầu tiên về ngân sách' });
		await startCorrection(t.db, official, id, 'Sửa số chi thường xuyên');
		// the first version stays public while the correction is a draft
		expect((await publicDisclosure(t.db, id))?.versions.map((v) => v.number)).toEqual([1]);
		await saveVersion(
			t.db,
			official,
			id,
			{ ...budget(), title: 'Bản đã đính chính về ngân sách' },
			[],
			true
		);
		await approveVersion(t.db, approver, id);
		const corrected = await publicDisclosure(t.db, id);
		expect(corrected?.versions.map((v) => [v.number, v.title])).toEqual([
			[2, 'Bản đã đính chính về ngân sách'],
			[1, 'Bản đầu tiên về ngân sách']
		]);
		expect(corrected?.versions[0]?.changeNote).toBe('Sửa số chi thường xuyên');
		// the correction took the files along
		expect(corrected?.versions[0]?.files.map((f) => f.sha256)).toEqual([SHA]);

		await expect(withdrawDisclosure(t.db, official, id, 'Nhầm kỳ')).rejects.toMatchObject({
			code: 'forbidden'
		});
		await withdrawDisclosure(t.db, approver, id, 'Công bố nhầm kỳ báo cáo');
		const withdrawn = await publicDisclosure(t.db, id);
		expect(withdrawn?.status).toBe('withdrawn');
		expect(withdrawn?.withdrawnReason).toBe('Công bố nhầm kỳ báo cáo');
		const listed = await listDisclosures(t.db, all);
		expect(listed.rows.find((r) => r.id === id)?.status).toBe('withdrawn');
	});

	it('finds an item without accents', async () => {
		const id = await published({ title: 'Quyết toán ngân sách đặc biệt' });
		const found = await listDisclosures(t.db, { ...all, q: 'quyet toan ngan sach dac biet' });
		expect(found.rows.map((r) => r.id)).toContain(id);
		const none = await listDisclosures(t.db, { ...all, q: 'bang gia dat' });
		expect(none.rows.map((r) => r.id)).not.toContain(id);
	});

	it('lists the items that hold the words searched most first, not the newest', async () => {
		const most = await published({
			title: 'Chợ đầu mối nông sản: quyết toán xây dựng chợ',
			summary: 'Quyết toán công trình chợ đầu mối nông sản, chợ mở cửa năm 2026.'
		});
		const newer = await published({
			title: 'Công khai dự toán năm 2026',
			summary: 'Trong đó có khoản sửa mái chợ nông sản.'
		});
		const found = await listDisclosures(t.db, { ...all, q: 'cho nong san' });
		const order = found.rows.map((r) => r.id).filter((id) => id === most || id === newer);
		expect(order).toEqual([most, newer]);
		// without words, the newest first
		const recent = (await listDisclosures(t.db, all)).rows.map((r) => r.id);
		expect(recent.indexOf(newer)).toBeLessThan(recent.indexOf(most));
	});

	it('takes lists with personal data off the public site when their display period ends', async () => {
		const id = await published({
			typeCode: 'danh-sach-ho-ngheo',
			period: '2025',
			title: 'Danh sách hộ nghèo năm 2025'
		});
		const shown = await publicDisclosure(t.db, id);
		expect(shown?.personalData).toBe(true);
		expect(shown?.hideAfter).not.toBeNull();
		expect(
			await publicDisclosure(t.db, id, new Date(Date.now() + 400 * 86_400_000))
		).toBeUndefined();
	});

	it('marks a missing quarterly budget as overdue, and a published one as published', async () => {
		const now = new Date('2026-11-22T03:00:00Z');
		const c = await compliance(t.db, now);
		const q = (period: string) =>
			c.cells.find(
				(x) =>
					x.unitId === commune && x.typeCode === 'thuc-hien-ngan-sach-xa-quy' && x.period === period
			);
		// Q1 2026 was published above (then withdrawn once, but another Q1 item stands)
		expect(q('2026-Q1')?.state).toBe('published');
		// Q3 2026 was due on 15 October
		expect(q('2026-Q3')).toMatchObject({ due: '2026-10-15', state: 'overdue' });
		// fees and procedures, a one-off type never published: missing
		expect(
			c.cells.find((x) => x.unitId === commune && x.typeCode === 'thu-tuc-hanh-chinh-phi')?.state
		).toBe('missing');
	});

	it('refuses an area the agency does not serve, and counts only serving agencies in compliance', async () => {
		const province = (await t.db
			.selectFrom('admin_unit')
			.select('parent_id')
			.where('id', '=', commune)
			.executeTakeFirstOrThrow())!.parent_id!;
		const unit = async (code: string, parent: number | null, validTo: string | null = null) =>
			(
				await t.db
					.insertInto('admin_unit')
					.values({
						code,
						name: `Đơn vị ${code}`,
						level: parent === null ? 'province' : 'commune',
						parent_id: parent,
						valid_from: validTo ? null : '2025-07-01',
						valid_to: validTo
					})
					.returning('id')
					.executeTakeFirstOrThrow()
			).id;
		const other = await unit('02215', province);
		const merged = await unit('00916', province, '2025-07-01');
		const elsewhere = await unit('00004', await unit('01', null));
		const [c, d] = await t.db
			.insertInto('agency')
			.values([
				{
					slug: 'c',
					name_vi: 'UBND xã khác',
					name_en: 'C',
					kind: 'commune_committee',
					unit_id: other
				},
				{
					slug: 'd',
					name_vi: 'Sở ngoài tỉnh',
					name_en: 'D',
					kind: 'department',
					unit_id: elsewhere
				}
			])
			.returning('id')
			.execute();
		const otherStaff = await user('c@x.vn', [
			{ role: 'official', agencyId: c!.id },
			{ role: 'approver', agencyId: c!.id }
		]);
		const outsideStaff = await user('d@x.vn', [{ role: 'official', agencyId: d!.id }]);
		const q3 = { period: '2026-Q3' };
		// commune A's staff, for another commune, the province above it, a unit no longer in
		// force and one of another province: all refused
		for (const unitId of [other, province, merged, elsewhere])
			await expect(
				createDisclosure(t.db, official, budget({ ...q3, unitId }))
			).rejects.toMatchObject({ code: 'area' });
		// an agency outside the deployment's province, even for its own unit
		await expect(
			createDisclosure(t.db, outsideStaff, budget({ ...q3, unitId: elsewhere, agencyId: d!.id }))
		).rejects.toMatchObject({ code: 'area' });
		// a provincial department serves the communes below it
		const byProvince = await createDisclosure(
			t.db,
			stranger,
			budget({ period: '2026-Q1', unitId: other, agencyId: stranger.grants[0]!.agencyId! })
		);
		expect(byProvince).toBeGreaterThan(0);

		// an item put on the other commune by commune A (as the old code allowed) meets nothing
		const { id: foreign } = await t.db
			.insertInto('disclosure')
			.values({
				type_code: 'thuc-hien-ngan-sach-xa-quy',
				unit_id: other,
				agency_id: agencyA,
				period: '2026-Q3',
				status: 'published',
				first_published_at: new Date('2026-10-01T00:00:00Z')
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const now = new Date('2026-11-22T03:00:00Z');
		const cell = async (period: string) =>
			(await compliance(t.db, now)).cells.find(
				(x) =>
					x.unitId === other && x.typeCode === 'thuc-hien-ngan-sach-xa-quy' && x.period === period
			);
		expect(await cell('2026-Q3')).toMatchObject({ state: 'overdue', disclosureId: null });
		// the other commune's own item counts
		const own = await createDisclosure(
			t.db,
			otherStaff,
			budget({ period: '2026-Q2', unitId: other, agencyId: c!.id })
		);
		await t.db
			.updateTable('disclosure')
			.set({ status: 'published' })
			.where('id', '=', own)
			.execute();
		expect(await cell('2026-Q2')).toMatchObject({ state: 'published', disclosureId: own });
		expect(foreign).not.toBe(own);

		// a draft put on the other commune before the check existed is not published either
		const legacy = await createDisclosure(t.db, official, budget({ period: '2026-Q4' }));
		await saveVersion(t.db, official, legacy, budget({ period: '2026-Q4' }), [], true);
		await t.db.updateTable('disclosure').set({ unit_id: other }).where('id', '=', legacy).execute();
		await expect(approveVersion(t.db, approver, legacy)).rejects.toMatchObject({ code: 'area' });
		expect(await cell('2026-Q4')).not.toMatchObject({ state: 'published' });
	});

	it('serves open data that validates against its published JSON Schema', async () => {
		const id = await published();
		const ajv = new Ajv2020({ strict: false });
		const schema = openDataJsonSchema();
		const validateList = ajv.compile(schema.$defs.list);
		const validateItem = ajv.compile(schema.$defs.item);
		const list = await openDataList(t.db, 'https://cong.example.vn', all);
		expect(list.items.length).toBeGreaterThan(0);
		expect(validateList(list), JSON.stringify(validateList.errors)).toBe(true);
		const item = await openDataItem(t.db, 'https://cong.example.vn', id);
		expect(validateItem(item), JSON.stringify(validateItem.errors)).toBe(true);
		expect(disclosureItemSchema.parse(item).versions[0]?.files[0]?.table?.csv).toContain(
			`/disclosures/${id}/tables/`
		);
		// a document that breaks the schema is caught
		expect(validateItem({ ...item, id: 'x' })).toBe(false);
	});

	it('publishes a version only as the approver was shown it', async () => {
		const id = await createDisclosure(t.db, official, budget({ period: '2025-Q1' }));
		await saveVersion(t.db, official, id, budget({ period: '2025-Q1' }), [], true);
		const shown = async () =>
			(await staffDisclosure(t.db, approver, id)).versions.find((v) => v.status === 'submitted')!
				.fingerprint!;
		const reviewed = await shown();
		expect(reviewed).toMatch(/^[0-9a-f]{64}$/);
		const changed = { ...budget({ period: '2025-Q1' }), summary: 'Tóm tắt đã sửa sau khi trình.' };
		await saveVersion(t.db, official, id, changed, [], true);
		await expect(approveVersion(t.db, approver, id, new Date(), reviewed)).rejects.toMatchObject({
			code: 'changed'
		});
		await approveVersion(t.db, approver, id, new Date(), await shown());
		const v = await t.db
			.selectFrom('disclosure_version')
			.select(['status', 'summary'])
			.where('disclosure_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(v).toEqual({ status: 'published', summary: 'Tóm tắt đã sửa sau khi trình.' });
	});
});
