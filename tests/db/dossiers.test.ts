import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import { readDossierCsv, type DossierRecord } from '$lib/dossiers/records';
import { dossierCodeHash } from '$lib/server/dossiers/codes';
import { importDossiers, ImportRefused, type ImportBy } from '$lib/server/dossiers/import';
import { decidedMonthSql, lateSql } from '$lib/server/dossiers/lateness';
import { outcome } from '$lib/dossiers/lateness';
import { mayImportDossiers, mayManageTokens } from '$lib/server/dossiers/permissions';
import { rateDossier, ratingMonth, type RatingInput } from '$lib/server/dossiers/rate';
import { createApiToken, revokeApiToken, tokenFromHeader } from '$lib/server/dossiers/tokens';
import { DomainError } from '$lib/server/forms/refusal';
import { backends, migratedDb, type TestDb } from './harness';
import { addAgencies, provinceWithCommune, staffMember, VI_XUYEN_SHOP } from './places';

const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Số lần bổ sung';

function csv(...rows: string[]): Uint8Array {
	return new TextEncoder().encode(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`);
}

function records(bytes: Uint8Array): DossierRecord[] {
	const read = readDossierCsv(bytes);
	if ('problems' in read) throw new Error(JSON.stringify(read.problems));
	return read.records;
}

const rating: Omit<RatingInput, 'code'> = {
	overall: 4,
	attitude: 5,
	harassed: 'no',
	timeliness: 'on_time',
	visits: 1,
	waiting: 20,
	transparency: 4
};

describe.each(backends)('dossier records and ratings on %s', (backend) => {
	let t: TestDb;
	let shopA: number;
	let shopB: number;
	let officialA: Staff;
	let admin: Staff;
	let byA: ImportBy;

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		[shopA, shopB] = (await addAgencies(t.db, [
			{ ...VI_XUYEN_SHOP, unit_id: place.commune },
			{
				slug: 'trung-tam-hcc',
				name_vi: 'Trung tâm Phục vụ hành chính công tỉnh',
				name_en: 'Provincial public service centre',
				kind: 'one_stop_shop',
				unit_id: place.province
			}
		])) as [number, number];
		officialA = await staffMember(t.db, 'mot-cua@dossiers.test', [
			{ role: 'official', agencyId: shopA }
		]);
		admin = await staffMember(t.db, 'admin@dossiers.test', [{ role: 'admin', agencyId: null }]);
		byA = { agencyId: shopA, source: 'csv', userId: officialA.id, tokenId: null };
	});
	afterAll(async () => t?.close());

	it('reads Vietnamese headers, dd/mm/yyyy dates and the channel words', () => {
		const [r] = records(
			csv(
				'000.00.17.H57-260105-0001;Đăng ký khai sinh;Hộ tịch;05/01/2026 08:15;07/01/2026;06/01/2026;Trực tiếp;1'
			)
		);
		expect(r).toMatchObject({
			line: 2,
			code: '000.00.17.H57-260105-0001',
			procedure: 'Đăng ký khai sinh',
			field: 'Hộ tịch',
			receivedOn: '2026-01-05',
			dueOn: '2026-01-07',
			completedOn: '2026-01-06',
			channel: 'offline',
			returnedCount: 1
		});
	});

	it('names every bad row with its line and refuses the whole file', () => {
		const read = readDossierCsv(
			csv(
				'A-1;Đăng ký khai sinh;Hộ tịch;05/01/2026;;;Trực tuyến;0',
				';Cấp phép xây dựng;Xây dựng;31/02/2026;;;qua mạng;-1',
				'a-1;Đăng ký kết hôn;Hộ tịch;06/01/2026;;;trực tiếp;0',
				'A-2;Đăng ký kết hôn;Hộ tịch;06/01/2026;;04/01/2026;trực tiếp;0'
			)
		);
		expect('problems' in read && read.problems).toEqual([
			{ line: 3, code: 'code_missing' },
			{ line: 3, code: 'date_invalid', value: '31/02/2026' },
			{ line: 3, code: 'channel_invalid', value: 'qua mạng' },
			{ line: 3, code: 'returned_invalid', value: '-1' },
			{ line: 5, code: 'completed_before_received' },
			{ line: 4, code: 'code_repeated', value: 'A-1' }
		]);
		expect(readDossierCsv(new TextEncoder().encode('Mã hồ sơ,Thủ tục\nA,B\n'))).toEqual({
			problems: [
				{ line: 1, code: 'missing_column', value: 'field' },
				{ line: 1, code: 'missing_column', value: 'received' },
				{ line: 1, code: 'missing_column', value: 'channel' }
			]
		});
	});

	it('imports idempotently: the same code again updates its dossier, never a second one', async () => {
		const first = records(
			csv(
				'VX-0001;Đăng ký khai sinh;Hộ tịch;05/01/2026;07/01/2026;;Trực tiếp;0',
				'VX-0002;Chứng thực bản sao;Chứng thực;05/01/2026;05/01/2026;05/01/2026;Trực tuyến;0'
			)
		);
		expect(await importDossiers(t.db, byA, first, true)).toEqual({
			created: 2,
			updated: 0,
			importId: null
		});
		expect(await t.db.selectFrom('dossier').select('id').execute()).toHaveLength(0);
		expect(await importDossiers(t.db, byA, first)).toMatchObject({ created: 2, updated: 0 });
		const again = records(
			csv(
				'vx - 0001;Đăng ký khai sinh;Hộ tịch;05/01/2026;07/01/2026;09/01/2026;Trực tiếp;2',
				'VX-0003;Đăng ký kết hôn;Hộ tịch;06/01/2026;08/01/2026;;Trực tiếp;0'
			)
		);
		expect(await importDossiers(t.db, byA, again)).toMatchObject({ created: 1, updated: 1 });
		const rows = await t.db
			.selectFrom('dossier')
			.selectAll()
			.where('agency_id', '=', shopA)
			.orderBy('received_on')
			.orderBy('id')
			.execute();
		expect(rows).toHaveLength(3);
		expect(rows[0]).toMatchObject({
			code_hash: dossierCodeHash('VX-0001'),
			completed_on: '2026-01-09',
			returned_count: 2
		});
		const audits = await t.db
			.selectFrom('audit_log')
			.select('details')
			.where('action', '=', 'dossier.import')
			.execute();
		expect(audits).toHaveLength(2);
	});

	it('keeps the code only as a keyed hash', async () => {
		const dump = JSON.stringify(
			await Promise.all(
				['dossier', 'dossier_import', 'dossier_rating', 'audit_log'].map((table) =>
					t.db
						.selectFrom(table as 'dossier')
						.selectAll()
						.execute()
				)
			)
		);
		expect(dump).not.toContain('VX-0001');
		expect(dump).toContain(dossierCodeHash('VX-0001'));
		expect(dossierCodeHash('VX-0001', 'one-secret')).not.toBe(
			dossierCodeHash('VX-0001', 'another-secret')
		);
	});

	it('refuses a code another agency imported, and an agency column naming another agency', async () => {
		const byB: ImportBy = { agencyId: shopB, source: 'csv', userId: admin.id, tokenId: null };
		const refused = await importDossiers(
			t.db,
			byB,
			records(csv('VX-0001;Đăng ký khai sinh;Hộ tịch;05/01/2026;;;Trực tiếp;0'))
		).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ImportRefused);
		expect((refused as ImportRefused).problems).toEqual([{ line: 2, code: 'code_other_agency' }]);
		const withAgency = readDossierCsv(
			new TextEncoder().encode(
				'Mã hồ sơ,Thủ tục,Lĩnh vực,Cơ quan,Ngày tiếp nhận,Hình thức\n' +
					'HCC-1,Cấp phép xây dựng,Xây dựng,Trung tâm Phục vụ hành chính công tỉnh,05/01/2026,trực tuyến\n' +
					'HCC-2,Cấp phép xây dựng,Xây dựng,Bộ phận một cửa xã Vị Xuyên,05/01/2026,trực tuyến\n'
			)
		);
		if ('problems' in withAgency) throw new Error('expected records');
		const other = await importDossiers(t.db, byB, withAgency.records).catch((e: unknown) => e);
		expect((other as ImportRefused).problems).toEqual([
			{ line: 3, code: 'agency_other', value: 'Bộ phận một cửa xã Vị Xuyên' }
		]);
		expect(await importDossiers(t.db, byB, withAgency.records.slice(0, 1))).toMatchObject({
			created: 1,
			updated: 0
		});
		const a = await t.db
			.selectFrom('dossier')
			.select('agency_id')
			.where('code_hash', '=', dossierCodeHash('VX-0001'))
			.executeTakeFirstOrThrow();
		expect(a.agency_id).toBe(shopA);
	});

	it('lets officials import for their own agency and admins for any; tokens are admins’', () => {
		expect(mayImportDossiers(officialA, shopA)).toBe(true);
		expect(mayImportDossiers(officialA, shopB)).toBe(false);
		expect(mayImportDossiers(admin, shopB)).toBe(true);
		expect(mayManageTokens(officialA)).toBe(false);
		expect(mayManageTokens(admin)).toBe(true);
	});

	it('keeps API tokens hashed, scoped to one agency, and revocable', async () => {
		await expect(createApiToken(t.db, officialA, shopA, 'HTTT')).rejects.toBeInstanceOf(
			DomainError
		);
		const token = await createApiToken(t.db, admin, shopA, 'Hệ thống một cửa');
		const stored = await t.db.selectFrom('dossier_api_token').selectAll().execute();
		expect(JSON.stringify(stored)).not.toContain(token);
		const found = await tokenFromHeader(t.db, `Bearer ${token}`);
		expect(found).toEqual({ id: stored[0]!.id, agencyId: shopA });
		expect(await tokenFromHeader(t.db, `Bearer ${token}x`)).toBeNull();
		expect(await tokenFromHeader(t.db, token)).toBeNull();
		await revokeApiToken(t.db, admin, found!.id);
		expect(await tokenFromHeader(t.db, `Bearer ${token}`)).toBeNull();
	});

	it('takes one rating per dossier, with the month and nothing that links it to the dossier', async () => {
		const now = new Date('2026-01-31T18:30:00Z'); // 1 February in Việt Nam
		await rateDossier(t.db, { ...rating, code: ' vx-0002 ' }, now);
		const second = await rateDossier(t.db, { ...rating, code: 'VX-0002' }, now).catch(
			(e: unknown) => e
		);
		expect(second).toBeInstanceOf(DomainError);
		expect((second as DomainError).code).toBe('already_rated');
		expect((second as DomainError).status).toBe(409);
		const unknown = await rateDossier(t.db, { ...rating, code: 'VX-9999' }, now).catch(
			(e: unknown) => e
		);
		expect((unknown as DomainError).code).toBe('unknown_code');
		const ratings = await t.db.selectFrom('dossier_rating').selectAll().execute();
		expect(ratings).toHaveLength(1);
		expect(ratings[0]).toMatchObject({
			agency_id: shopA,
			field: 'Chứng thực',
			channel: 'online',
			month: '2026-02-01',
			overall: 4,
			harassed: false,
			waiting_minutes: 20
		});
		expect(Object.keys(ratings[0]!)).not.toContain('dossier_id');
		expect(ratingMonth(new Date('2026-01-31T16:59:59Z'))).toBe('2026-01-01');
	});

	it('lets only one of two simultaneous ratings of a dossier through', async () => {
		const results = await Promise.allSettled([
			rateDossier(t.db, { ...rating, code: 'VX-0003' }),
			rateDossier(t.db, { ...rating, code: 'VX-0003' })
		]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const ratings = await t.db
			.selectFrom('dossier_rating')
			.select('id')
			.where('field', '=', 'Hộ tịch')
			.execute();
		expect(ratings).toHaveLength(1);
	});

	it('counts late and decided months in SQL exactly as the shared rule does', async () => {
		const today = '2026-01-08';
		const rows = await t.db
			.selectFrom('dossier as d')
			.select(['d.due_on', 'd.completed_on'])
			.select(lateSql(today).as('late'))
			.select(decidedMonthSql(today).as('month'))
			.execute();
		expect(rows.length).toBeGreaterThan(2);
		expect(rows.some((r) => r.late)).toBe(true);
		for (const r of rows) {
			const o = outcome({ dueOn: r.due_on, completedOn: r.completed_on }, today);
			expect(r.late).toBe(o.state === 'late');
			expect(r.month).toBe(o.state === 'pending' ? null : o.month);
		}
	});
});
