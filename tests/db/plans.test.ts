import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import { readTaskMatrix } from '$lib/plans/import';
import {
	createPlan,
	getPlan,
	importTasks,
	listPlans,
	taskLeads,
	planMeasures,
	planTasks,
	setPlanStatus
} from '$lib/server/plans/plans';
import { mayReadPlan } from '$lib/server/plans/permissions';
import { publicPlans } from '$lib/server/plans/results';
import { reportStates, submitReport } from '$lib/server/plans/reports';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

const fixture = (name: string) => new Uint8Array(readFileSync(`e2e/fixtures/${name}`));

describe.each(backends)('improvement plans on %s', (backend) => {
	let t: TestDb;
	let planId: number;
	let instrumentId: number;
	let noiVu: Staff;
	let xa: Staff;
	let approver: Staff;
	let agencies: { id: number; name: string; slug: string }[];

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureInstruments(t.db);
		const place = await provinceWithCommune(t.db);
		agencies = await t.db
			.insertInto('agency')
			.values([
				{
					slug: 'so-noi-vu',
					name_vi: 'Sở Nội vụ tỉnh Tuyên Quang',
					name_en: 'Home Affairs',
					kind: 'department',
					unit_id: place.province
				},
				{
					slug: 'ubnd-xa',
					name_vi: 'Ủy ban nhân dân xã Vị Xuyên',
					name_en: 'Commune',
					kind: 'commune_committee',
					unit_id: place.commune
				},
				{
					slug: 'ubnd-tinh',
					name_vi: 'Ủy ban nhân dân tỉnh Tuyên Quang',
					name_en: 'Province',
					kind: 'province_committee',
					unit_id: place.province
				}
			])
			.returning(['id', 'name_vi as name', 'slug'])
			.execute();
		noiVu = await staffMember(t.db, 'nv@x.vn', [{ role: 'official', agencyId: agencies[0]!.id }]);
		xa = await staffMember(t.db, 'xa@x.vn', [{ role: 'official', agencyId: agencies[1]!.id }]);
		approver = await staffMember(t.db, 'ld@x.vn', [
			{ role: 'approver', agencyId: agencies[0]!.id }
		]);
		instrumentId = (
			await t.db
				.selectFrom('instrument')
				.select('id')
				.where('slug', '=', 'papi')
				.executeTakeFirstOrThrow()
		).id;
		planId = await createPlan(t.db, noiVu, {
			title: 'Kế hoạch nâng cao Chỉ số PAPI năm 2026',
			unit_id: place.province,
			agency_id: agencies[0]!.id,
			instrument_id: instrumentId,
			year_from: 2026,
			year_to: 2026,
			legal_ref: '',
			report_frequency: 'quarterly',
			weak_below: 0.5
		});
	});
	afterAll(async () => t?.close());

	it('numbers the instrument as the seeds do: dimension 2, sub-dimension 2.2', async () => {
		const measures = await planMeasures(t.db, instrumentId);
		expect(measures.find((m) => m.number === '2.2')?.code).toBe('d2_poor_households');
		expect(measures.find((m) => m.number === '8')?.code).toBe('d8_egovernance');
	});

	it('refuses a malformed matrix with every problem and its line, importing nothing', async () => {
		const read = readTaskMatrix(
			fixture('ke-hoach-loi.csv'),
			await planMeasures(t.db, instrumentId),
			agencies
		);
		expect('problems' in read && read.problems).toEqual([
			{ line: 3, code: 'lead_unknown', value: 'Sở Không Có Thật' },
			{ line: 4, code: 'task_empty' }
		]);
		expect(await planTasks(t.db, planId)).toEqual([]);
	});

	it('imports the seed’s matrix, repeating the row above where the seed leaves cells empty', async () => {
		const read = readTaskMatrix(
			fixture('ke-hoach-papi-bac-kan.csv'),
			await planMeasures(t.db, instrumentId),
			agencies
		);
		if (!('tasks' in read)) throw new Error(JSON.stringify(read.problems));
		expect(await importTasks(t.db, noiVu, planId, read.tasks)).toBe(7);
		// adopted at the start of the year: every quarter of 2026 is owed
		await setPlanStatus(t.db, approver, planId, 'active', new Date('2026-01-05T03:00:00Z'));
		const tasks = await planTasks(t.db, planId);
		expect(tasks.map((x) => x.measure_code)).toEqual([
			'd1_civic_knowledge',
			'd1_election_quality',
			'd1_election_quality',
			'd2_poor_households',
			'd2_commune_budget',
			'd4_public_employment',
			'd8_portal_response'
		]);
		expect(tasks[2]?.timeline).toBe('Theo nhiệm kỳ');
		expect(tasks[4]?.recurrence).toBe('quarterly');
		// only the owning agency imports
		await expect(importTasks(t.db, xa, planId, read.tasks)).rejects.toMatchObject({
			code: 'forbidden'
		});
	});

	it('lets only the lead agency report, and flags missing reports after their due date', async () => {
		const tasks = await planTasks(t.db, planId);
		const hiring = tasks.find((x) => x.measure_code === 'd4_public_employment')!;
		const poor = tasks.find((x) => x.measure_code === 'd2_poor_households')!;
		await expect(
			submitReport(t.db, xa, hiring.id, {
				period: '2026-Q3',
				percent: 50,
				progress: 'Không phải việc của xã',
				links: '',
				internalNote: '',
				files: []
			})
		).rejects.toMatchObject({ code: 'forbidden' });
		await submitReport(t.db, noiVu, hiring.id, {
			period: '2026-Q3',
			percent: 60,
			progress: 'Đã tổ chức thi tuyển công chức cấp xã đợt 1.',
			links: 'https://sonoivu.tuyenquang.gov.vn/thi-tuyen',
			internalNote: '',
			files: []
		});
		const states = await reportStates(
			t.db,
			{ id: planId, report_frequency: 'quarterly', year_from: 2026, year_to: 2026 },
			new Date('2026-11-22T03:00:00Z')
		);
		const q3 = (id: number) => states.get(id)!.find((s) => s.period === '2026-Q3')!;
		// Q3 ended 30 September; 10 working days later is 14 October
		expect(q3(hiring.id)).toMatchObject({ due: '2026-10-14', overdue: false });
		expect(q3(hiring.id).report?.percent).toBe(60);
		expect(q3(poor.id)).toMatchObject({ report: null, overdue: true });
		expect(states.get(poor.id)!.map((s) => s.period)).toEqual(['2026-Q3', '2026-Q2', '2026-Q1']);
		expect((await planTasks(t.db, planId)).find((x) => x.id === hiring.id)?.status).toBe(
			'in_progress'
		);
	});

	it('shows the public only plans the owner has opened', async () => {
		expect((await publicPlans(t.db, null)).map((p) => p.id)).toContain(planId);
		await expect(setPlanStatus(t.db, xa, planId, 'draft')).rejects.toMatchObject({
			code: 'forbidden'
		});
		await setPlanStatus(t.db, noiVu, planId, 'draft');
		// the same state again is a step that no longer fits: 409, as for disclosures
		await expect(setPlanStatus(t.db, noiVu, planId, 'draft')).rejects.toMatchObject({
			code: 'state',
			status: 409
		});
		expect((await publicPlans(t.db, null)).map((p) => p.id)).not.toContain(planId);
		// public again only by an approver; the adoption date stays the first one
		await expect(setPlanStatus(t.db, noiVu, planId, 'active')).rejects.toMatchObject({
			code: 'forbidden'
		});
		await setPlanStatus(t.db, approver, planId, 'active');
		expect((await getPlan(t.db, planId)).adopted_on).toBe('2026-01-05');
	});

	it('shows a draft only to the agencies that carry it: the owner and the tasks’ lead agencies', async () => {
		const plan0Unit = (await getPlan(t.db, planId)).unit_id;
		const police = await t.db
			.insertInto('agency')
			.values({
				slug: 'cong-an-tinh',
				name_vi: 'Công an tỉnh Tuyên Quang',
				name_en: 'Provincial Police',
				kind: 'department',
				unit_id: plan0Unit
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const other = await staffMember(t.db, 'ca@x.vn', [{ role: 'official', agencyId: police.id }]);
		const moderator = await staffMember(t.db, 'kd@x.vn', [{ role: 'moderator', agencyId: null }]);
		const admin = await staffMember(t.db, 'ad@x.vn', [{ role: 'admin', agencyId: null }]);
		const plan = await getPlan(t.db, planId);
		const mayRead = async (staff: Staff, p: typeof plan) =>
			mayReadPlan(staff, p, await taskLeads(t.db, p.id));
		const listed = async (staff: Staff) => (await listPlans(t.db, staff)).map((p) => p.id);

		for (const staff of [noiVu, xa, other, moderator]) {
			expect(await mayRead(staff, plan)).toBe(true);
			expect(await listed(staff)).toContain(planId);
		}
		await setPlanStatus(t.db, noiVu, planId, 'draft');
		const draft = await getPlan(t.db, planId);
		// the commune leads one of its tasks (imported above); the police lead none
		for (const [staff, reads] of [
			[noiVu, true],
			[xa, true],
			[admin, true],
			[other, false],
			[moderator, false]
		] as const) {
			expect(await mayRead(staff, draft)).toBe(reads);
			expect((await listed(staff)).includes(planId)).toBe(reads);
		}
		await setPlanStatus(t.db, approver, planId, 'active');
	});
});
