import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_UNITS_DATASET, ensureAdminUnits } from '../../seeds/admin-units';
import { currentSuccessors, findUnit } from '$lib/server/units/succession';
import { backends, migratedDb, type TestDb } from './harness';

describe.each(backends)('administrative units on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await migratedDb(backend);
		expect(await ensureAdminUnits(t.db)).toBe(true);
	});
	afterAll(async () => t?.close());

	it('loads every unit of both periods and the whole succession map, once', async () => {
		const counts = await t.db
			.selectFrom('admin_unit')
			.select(['level', (eb) => eb.fn.countAll<number>().as('n')])
			.select(sql<string>`coalesce(valid_from::text, 'before')`.as('period'))
			.groupBy(['level', 'valid_from'])
			.execute();
		const byPeriod = Object.fromEntries(counts.map((c) => [`${c.period}/${c.level}`, Number(c.n)]));
		expect(byPeriod).toEqual({
			'before/province': 63,
			'before/district': 696,
			'before/commune': 10035,
			'2025-07-01/province': 34,
			'2025-07-01/commune': 3321
		});
		const edges = await t.db
			.selectFrom('admin_unit_succession')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(edges.n)).toBe(11329);
		expect(await ensureAdminUnits(t.db)).toBe(false);
	});

	it('keeps the source and licence notice of the data', async () => {
		const dataset = await t.db
			.selectFrom('reference_dataset')
			.selectAll()
			.where('name', '=', ADMIN_UNITS_DATASET)
			.executeTakeFirstOrThrow();
		expect(dataset.licence).toContain('Copyright (c) 2025 Tran Ngoc Minh Hieu');
		expect(dataset.licence).toContain('Permission is hereby granted');
		expect(dataset.row_count).toBe(10794 + 3355 + 11329);
	});

	it('tells apart two units that share a code in different periods', async () => {
		const before = await findUnit(t.db, '00004', '2024-05-01');
		const after = await findUnit(t.db, '00004', '2025-09-01');
		expect(before?.name).toBe('Phường Trúc Bạch');
		expect(after?.name).toBe('Phường Ba Đình');
		expect(before?.valid_to).toBe('2025-07-01');
		expect(after?.valid_from).toBe('2025-07-01');
	});

	it('resolves a pre-reform commune to its post-reform commune', async () => {
		const truc_bach = await findUnit(t.db, '00004', '2024-05-01');
		const successors = await currentSuccessors(t.db, truc_bach!.id);
		expect(successors.map((s) => [s.code, s.name, s.whole])).toEqual([
			['00004', 'Phường Ba Đình', true]
		]);
	});

	it('resolves a split commune to every part, none of them whole', async () => {
		const cong_vi = await findUnit(t.db, '00007', '2024-05-01');
		expect(cong_vi?.name).toBe('Phường Cống Vị');
		const successors = await currentSuccessors(t.db, cong_vi!.id);
		expect(successors.map((s) => [s.code, s.name, s.whole])).toEqual([
			['00008', 'Phường Ngọc Hà', false],
			['00025', 'Phường Giảng Võ', false]
		]);
	});

	it('maps an old district to the new province that took it in, and a current unit to itself', async () => {
		const vi_xuyen = await findUnit(t.db, '030', '2020-01-01');
		expect(vi_xuyen?.name).toBe('Huyện Vị Xuyên');
		const [province] = await currentSuccessors(t.db, vi_xuyen!.id);
		expect(province?.name).toBe('Tỉnh Tuyên Quang');
		const current = await findUnit(t.db, '08', '2026-01-01');
		expect((await currentSuccessors(t.db, current!.id)).map((s) => s.id)).toEqual([current!.id]);
	});
});
