import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import { delayList } from '$lib/delays/list';
import { readDossierCsv, type DossierRecord } from '$lib/dossiers/records';
import { lateDossiers } from '$lib/server/delays/late-dossiers';
import { prepareDelayList, previewDelayList } from '$lib/server/delays/prepare';
import { approveVersion, saveVersion } from '$lib/server/disclosures/publish';
import { publicDisclosure } from '$lib/server/disclosures/public';
import { readDossierJson } from '$lib/server/dossiers/api';
import { importDossiers, type ImportBy } from '$lib/server/dossiers/import';
import { fileStore, type FileStore } from '$lib/server/files/store';
import { backends, migratedDb, type TestDb } from './harness';
import { addAgencies, provinceWithCommune, staffMember, VI_XUYEN_SHOP } from './places';

const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Cán bộ xử lý;Đơn vị xử lý';
const csv = (header: string, ...rows: string[]) =>
	new TextEncoder().encode(`\uFEFF${[header, ...rows].join('\r\n')}\r\n`);

function records(bytes: Uint8Array): DossierRecord[] {
	const read = readDossierCsv(bytes);
	if ('problems' in read) throw new Error(JSON.stringify(read.problems));
	return read.records;
}

const TP = 'Phòng Tư pháp - Hộ tịch';
// Prepared on 7 December 2026 (10:00 in Việt Nam), for November 2026.
const NOW = new Date('2026-12-07T03:00:00Z');
const NOVEMBER = '2026-11-01';
const LATE = csv(
	HEADER,
	// late 7 days: due 3/11, completed 10/11
	`VX-D1;Đăng ký khai sinh;Hộ tịch;01/11/2026;03/11/2026;10/11/2026;Trực tiếp;Nguyễn Văn An;${TP}`,
	// still open, late since 21/11: 17 calendar days on 7/12
	`VX-D2;Đăng ký kết hôn;Hộ tịch;10/11/2026;20/11/2026;;Trực tiếp;Nguyễn  Văn An;${TP}`,
	// due 31/10, late from 1/11: a November dossier, 4 days
	`VX-D3;Chứng thực chữ ký;Chứng thực;28/10/2026;31/10/2026;04/11/2026;Trực tuyến;Trần Thị Bình;${TP}`,
	// no handler: under its unit, not identified; 1 day
	`VX-D4;Đăng ký khai tử;Hộ tịch;12/11/2026;15/11/2026;16/11/2026;Trực tiếp;;${TP}`,
	// neither handler nor unit; late from 30/11, 3 days
	'VX-D5;Cấp phép xây dựng;Xây dựng;20/11/2026;29/11/2026;02/12/2026;Trực tiếp;;',
	// late from 31/10: October's, not November's
	'VX-D6;Cấp phép xây dựng;Xây dựng;20/10/2026;30/10/2026;05/11/2026;Trực tiếp;Lê Văn Cường;Phòng Kinh tế',
	// on time
	`VX-D7;Đăng ký khai sinh;Hộ tịch;05/11/2026;10/11/2026;09/11/2026;Trực tiếp;Trần Thị Bình;${TP}`,
	// late from 1/12: December's
	`VX-D8;Đăng ký khai sinh;Hộ tịch;25/11/2026;30/11/2026;01/12/2026;Trực tiếp;Trần Thị Bình;${TP}`
);

describe.each(backends)('the monthly delay list on %s', (backend) => {
	let t: TestDb;
	let shop: number;
	let other: number;
	let official: Staff;
	let approver: Staff;
	let stranger: Staff;
	let by: ImportBy;
	let dir: string;
	let store: FileStore;

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		[shop, other] = (await addAgencies(t.db, [
			{ ...VI_XUYEN_SHOP, unit_id: place.commune },
			{
				slug: 'so-noi-vu',
				name_vi: 'Sở Nội vụ',
				name_en: 'Department of Home Affairs',
				kind: 'department',
				unit_id: place.province
			}
		])) as [number, number];
		official = await staffMember(t.db, 'canbo@x.vn', [{ role: 'official', agencyId: shop }]);
		approver = await staffMember(t.db, 'lanhdao@x.vn', [{ role: 'approver', agencyId: shop }]);
		stranger = await staffMember(t.db, 'khac@x.vn', [{ role: 'official', agencyId: other }]);
		by = { agencyId: shop, source: 'csv', userId: official.id, tokenId: null };
		dir = await mkdtemp(join(tmpdir(), 'delays-'));
		store = fileStore(dir);
	});
	afterAll(async () => {
		await t?.close();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	it('reads and re-imports the handling official and unit, from CSV and JSON', async () => {
		const english = records(
			csv(
				'code,procedure,field,received,due,completed,channel,handler,handling unit',
				'EN-1,Birth registration,Civil status,2026-11-02,2026-11-04,,online,Phạm Thị Dung,Phòng Văn hóa'
			)
		);
		expect(english[0]).toMatchObject({ handler: 'Phạm Thị Dung', handlingUnit: 'Phòng Văn hóa' });
		const json = readDossierJson({
			dossiers: [
				{
					code: 'J-1',
					procedure: 'Khai sinh',
					field: 'Hộ tịch',
					received: '2026-11-02',
					channel: 'online',
					handler: ' Hoàng Văn Em ',
					handlingUnit: null
				}
			]
		});
		expect('records' in json && json.records[0]).toMatchObject({
			handler: 'Hoàng Văn Em',
			handlingUnit: null
		});

		const handlerOf = async () =>
			t.db
				.selectFrom('dossier')
				.select(['handler', 'handling_unit'])
				.where('procedure', '=', 'Đăng ký khai sinh')
				.where('received_on', '=', '2026-11-01')
				.executeTakeFirstOrThrow();
		await importDossiers(t.db, by, records(LATE));
		// inner runs of spaces made one, so that "Nguyễn  Văn An" is the same official
		expect(await handlerOf()).toEqual({ handler: 'Nguyễn Văn An', handling_unit: TP });
		await importDossiers(
			t.db,
			by,
			records(
				csv(
					HEADER,
					'VX-D1;Đăng ký khai sinh;Hộ tịch;01/11/2026;03/11/2026;10/11/2026;Trực tiếp;Đỗ Thị Giang;Phòng Kinh tế'
				)
			)
		);
		expect(await handlerOf()).toEqual({ handler: 'Đỗ Thị Giang', handling_unit: 'Phòng Kinh tế' });
		await importDossiers(t.db, by, records(LATE));
		expect(await handlerOf()).toEqual({ handler: 'Nguyễn Văn An', handling_unit: TP });
	});

	it('groups the month’s late dossiers by unit and official, with calendar days late', async () => {
		const list = await previewDelayList(t.db, official, shop, NOVEMBER, NOW);
		const fact = (procedure: string, due: string, completed: string | null, days: number) =>
			expect.objectContaining({ procedure, dueOn: due, completedOn: completed, daysLate: days });
		expect(list.total).toBe(5);
		expect(list.units).toEqual([
			{
				name: TP,
				count: 4,
				officials: [
					{
						name: 'Nguyễn Văn An',
						count: 2,
						dossiers: [
							fact('Đăng ký khai sinh', '2026-11-03', '2026-11-10', 7),
							fact('Đăng ký kết hôn', '2026-11-20', null, 17)
						]
					},
					{
						name: 'Trần Thị Bình',
						count: 1,
						dossiers: [fact('Chứng thực chữ ký', '2026-10-31', '2026-11-04', 4)]
					},
					{
						name: null,
						count: 1,
						dossiers: [fact('Đăng ký khai tử', '2026-11-15', '2026-11-16', 1)]
					}
				]
			},
			{
				name: null,
				count: 1,
				officials: [
					{
						name: null,
						count: 1,
						dossiers: [fact('Cấp phép xây dựng', '2026-11-29', '2026-12-02', 3)]
					}
				]
			}
		]);
		// the SQL selection and the pure rule agree: October has only VX-D6
		const october = await lateDossiers(t.db, shop, '2026-10-01', '2026-12-07');
		expect(delayList('2026-10-01', october, '2026-12-07').units).toMatchObject([
			{ name: 'Phòng Kinh tế', count: 1, officials: [{ name: 'Lê Văn Cường', count: 1 }] }
		]);
		// the month in progress is not a list yet; another agency's official sees nothing of it
		await expect(previewDelayList(t.db, official, shop, '2026-12-01', NOW)).rejects.toMatchObject({
			code: 'month'
		});
		await expect(previewDelayList(t.db, stranger, shop, NOVEMBER, NOW)).rejects.toMatchObject({
			code: 'forbidden'
		});
	});

	it('is public only once an approver other than the preparer approves it; again is a new version', async () => {
		await expect(
			prepareDelayList(t.db, approver, shop, NOVEMBER, NOW, store)
		).rejects.toMatchObject({ code: 'forbidden' });
		const first = await prepareDelayList(t.db, official, shop, NOVEMBER, NOW, store);
		expect(first.created).toBe(true);
		const id = first.disclosureId;
		expect(await publicDisclosure(t.db, id)).toBeUndefined();

		const draft = await t.db
			.selectFrom('disclosure_version as v')
			.innerJoin('disclosure as d', 'd.id', 'v.disclosure_id')
			.select(['d.type_code', 'd.agency_id', 'v.status', 'v.title', 'v.summary', 'v.body_md'])
			.where('d.id', '=', id)
			.executeTakeFirstOrThrow();
		expect(draft).toMatchObject({
			type_code: 'danh-sach-cham-tre-ho-so',
			agency_id: shop,
			status: 'draft',
			title: 'Danh sách tổ chức, cá nhân gây chậm trễ trong giải quyết hồ sơ tháng 11/2026',
			summary: '5 hồ sơ trễ hạn; 2 đơn vị, 2 cán bộ xử lý.'
		});
		expect(draft.body_md).toContain(`**${TP.replace('-', '\\-')}: 4 hồ sơ trễ hạn**`);
		expect(draft.body_md).toContain('- Nguyễn Văn An: 2 hồ sơ');
		expect(draft.body_md).toContain('- Chưa xác định cán bộ xử lý: 1 hồ sơ');
		expect(draft.body_md).not.toMatch(/VX-D/);

		// the disclosures' own review: submitted, refused to the preparer, approved by the approver
		const text = { title: draft.title, summary: draft.summary, bodyMd: draft.body_md };
		await saveVersion(t.db, official, id, { ...text, effectiveOn: '2026-12-07' }, [], true);
		expect(await publicDisclosure(t.db, id)).toBeUndefined();
		await expect(approveVersion(t.db, official, id)).rejects.toMatchObject({ code: 'forbidden' });
		await approveVersion(t.db, approver, id);
		const shown = await publicDisclosure(t.db, id);
		expect(shown?.status).toBe('published');
		const table = JSON.parse(shown!.versions[0]!.files[0]!.table!) as {
			columns: string[];
			rows: unknown[][];
		};
		expect(table.columns).toContain('Số ngày trễ hạn (ngày lịch)');
		expect(table.rows).toHaveLength(5);
		expect(table.rows[1]).toEqual([
			TP,
			'Nguyễn Văn An',
			'Đăng ký kết hôn',
			'Hộ tịch',
			'Chưa hoàn thành',
			17
		]);
		// no day on the public table: nothing tells whose application came in when
		expect(JSON.stringify(table)).not.toMatch(/\d\d\/\d\d\/\d{4}/);
		expect(JSON.stringify(table)).not.toMatch(/VX-D/);

		// prepared again a week later: the same disclosure, a new draft version; v1 stays public
		const again = await prepareDelayList(
			t.db,
			official,
			shop,
			NOVEMBER,
			new Date('2026-12-14T03:00:00Z'),
			store
		);
		expect(again).toMatchObject({ disclosureId: id, created: false });
		const versions = await t.db
			.selectFrom('disclosure_version')
			.select(['number', 'status'])
			.where('disclosure_id', '=', id)
			.orderBy('number')
			.execute();
		expect(versions).toEqual([
			{ number: 1, status: 'published' },
			{ number: 2, status: 'draft' }
		]);
		const v2files = await t.db
			.selectFrom('disclosure_file as f')
			.innerJoin('disclosure_version as v', 'v.id', 'f.version_id')
			.select('f.table_json')
			.where('v.disclosure_id', '=', id)
			.where('v.number', '=', 2)
			.execute();
		expect(v2files).toHaveLength(1);
		// the open dossier is now 24 days late
		expect(v2files[0]!.table_json).toContain('"Chưa hoàn thành",24]');
		expect((await publicDisclosure(t.db, id))?.versions.map((v) => v.number)).toEqual([1]);
		expect(
			await t.db.selectFrom('delay_list').selectAll().where('agency_id', '=', shop).execute()
		).toHaveLength(1);
	});
});
