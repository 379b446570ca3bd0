import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import { vietnamDate } from '$lib/deadlines/working-days';
import { aggregateQueued } from '$lib/server/analytics/aggregate';
import { refreshSnapshots } from '$lib/server/analytics/snapshot';
import { planScores, publishableWaves } from '$lib/server/plans/dashboard';
import { addTask, createPlan, getPlan, publicPlan, setPlanStatus } from '$lib/server/plans/plans';
import { publicPlans } from '$lib/server/plans/results';
import { reportStates, submitReport } from '$lib/server/plans/reports';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';
import { randomAnswers } from './responses';

/**
 * Plans follow how a plan is adopted: a draft until an approver of the owning agency (not its
 * author) makes it public; reporting duties from the period of the adoption; the scores of the
 * latest wave whose results can be published.
 */
describe.each(backends)('plan adoption and waves on %s', (backend) => {
	let t: TestDb;
	let place: { province: number; commune: number };
	let agency: number;
	let official: Staff;
	let approver: Staff;
	let other: Staff;
	let sipas: { id: number; instrumentId: number };

	const newPlan = (author: Staff, title: string) =>
		createPlan(t.db, author, {
			title,
			unit_id: place.province,
			agency_id: agency,
			instrument_id: sipas.instrumentId,
			year_from: 2026,
			year_to: 2026,
			legal_ref: '',
			report_frequency: 'quarterly',
			weak_below: 0.5
		});
	const task = (planId: number, title: string) =>
		addTask(t.db, official, planId, {
			measureCode: null,
			title,
			leadAgencyId: agency,
			cooperating: '',
			timeline: '',
			recurrence: 'continuous',
			dueOn: null,
			target: '',
			output: ''
		});
	const report = (staff: Staff, taskId: number, period: string) =>
		submitReport(t.db, staff, taskId, {
			period,
			percent: 10,
			progress: 'Đã triển khai bước đầu.',
			links: '',
			internalNote: '',
			files: []
		});

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureInstruments(t.db);
		place = await provinceWithCommune(t.db);
		agency = (
			await t.db
				.insertInto('agency')
				.values({
					slug: 'so-noi-vu',
					name_vi: 'Sở Nội vụ tỉnh Tuyên Quang',
					name_en: 'Department of Home Affairs',
					kind: 'department',
					unit_id: place.province
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
		official = await staffMember(t.db, 'cb@x.vn', [{ role: 'official', agencyId: agency }]);
		approver = await staffMember(t.db, 'ld@x.vn', [{ role: 'approver', agencyId: agency }]);
		other = await staffMember(t.db, 'ld2@x.vn', [{ role: 'approver', agencyId: agency }]);
		const version = (await latestPublished(t.db, 'sipas'))!;
		sipas = { id: version.id, instrumentId: version.instrumentId };
	});
	afterAll(async () => t?.close());

	it('creates a plan as a draft the public does not see, made public by an approver who did not write it', async () => {
		const id = await newPlan(official, 'Kế hoạch nâng cao Chỉ số SIPAS năm 2026');
		const draft = await getPlan(t.db, id);
		expect(draft).toMatchObject({ status: 'draft', adopted_on: null, created_by: official.id });
		expect((await publicPlans(t.db, null)).map((p) => p.id)).not.toContain(id);
		await expect(publicPlan(t.db, id)).rejects.toMatchObject({ code: 'not_found', status: 404 });

		// the official who wrote it cannot publish it, nor close it (closed plans are public too)
		for (const status of ['active', 'closed'] as const)
			await expect(setPlanStatus(t.db, official, id, status)).rejects.toMatchObject({
				code: 'forbidden',
				status: 403
			});
		// nor an approver who wrote a plan: four eyes
		const own = await newPlan(approver, 'Kế hoạch do lãnh đạo tự lập');
		await expect(setPlanStatus(t.db, approver, own, 'active')).rejects.toMatchObject({
			code: 'forbidden'
		});
		await setPlanStatus(t.db, other, own, 'active');

		const taskId = await task(id, 'Niêm yết công khai thủ tục hành chính');
		await setPlanStatus(t.db, approver, id, 'active', new Date('2026-08-14T03:00:00Z'));
		const adopted = await getPlan(t.db, id);
		expect(adopted).toMatchObject({
			status: 'active',
			adopted_on: '2026-08-14',
			adopted_by: approver.id
		});
		expect((await publicPlans(t.db, null)).map((p) => p.id)).toContain(id);
		expect((await publicPlan(t.db, id)).id).toBe(id);
		const row = await t.db
			.selectFrom('plan_task')
			.select('adopted_on')
			.where('id', '=', taskId)
			.executeTakeFirstOrThrow();
		expect(row.adopted_on).toBe('2026-08-14');
		const audit = await t.db
			.selectFrom('audit_log')
			.select(['action', 'actor_user_id', 'details'])
			.where('entity_type', '=', 'plan')
			.where('entity_id', '=', String(id))
			.orderBy('id')
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['plan.create', 'plan.adopt']);
		expect(audit[1]).toMatchObject({
			actor_user_id: approver.id,
			details: { status: 'active', adoptedOn: '2026-08-14' }
		});

		// back to draft (by its managers) and public again: the adoption stays the first one
		await setPlanStatus(t.db, official, id, 'draft');
		await expect(publicPlan(t.db, id)).rejects.toMatchObject({ code: 'not_found' });
		await setPlanStatus(t.db, approver, id, 'active', new Date('2026-11-02T03:00:00Z'));
		expect((await getPlan(t.db, id)).adopted_on).toBe('2026-08-14');
	});

	it('owes reports only from the period of the adoption, of the plan or of a task added later', async () => {
		const id = await newPlan(official, 'Kế hoạch có nhiệm vụ thêm sau');
		const first = await task(id, 'Nhiệm vụ có từ khi lập kế hoạch');
		const now = new Date('2026-12-06T03:00:00Z');
		const plan = { id, report_frequency: 'quarterly', year_from: 2026, year_to: 2026 } as const;
		// a draft owes nothing
		expect((await reportStates(t.db, plan, now)).get(first)).toEqual([]);

		await setPlanStatus(t.db, approver, id, 'active', new Date('2026-08-14T03:00:00Z'));
		const later = await task(id, 'Nhiệm vụ bổ sung sau khi công khai');
		const states = await reportStates(t.db, plan, now);
		// adopted in August: Q3 is owed (due 14 October, missed), Q1 and Q2 are not
		expect(states.get(first)!.map((s) => [s.period, s.overdue])).toEqual([['2026-Q3', true]]);
		// added today (after the adoption): nothing has ended since
		const added = await t.db
			.selectFrom('plan_task')
			.select('adopted_on')
			.where('id', '=', later)
			.executeTakeFirstOrThrow();
		expect(added.adopted_on).toBe(vietnamDate(new Date()));
		expect(
			(await reportStates(t.db, plan, new Date(`${added.adopted_on}T03:00:00Z`))).get(later)
		).toEqual([]);

		// a report for a period before the adoption is refused beside the period field
		await expect(report(official, first, '2026-Q2')).rejects.toMatchObject({
			code: 'bad_choice',
			fields: { period: expect.any(String) },
			status: 400
		});
		await report(official, first, '2026-Q3');
		// the current quarter, reported before it ends, is listed with its report
		await report(official, first, '2026-Q4');
		const after = await reportStates(t.db, plan, now);
		expect(after.get(first)!.map((r) => [r.period, r.overdue, r.report?.percent])).toEqual([
			['2026-Q4', false, 10],
			['2026-Q3', false, 10]
		]);
	});

	it('scores the plan by the latest wave with publishable results, and lets an earlier one be chosen', async () => {
		let submitted = 0;
		const wave = async (slug: string, responses: number) => {
			const id = await createWave(
				t.db,
				{
					slug,
					versionId: sipas.id,
					title: { vi: `Đợt ${slug}`, en: `Wave ${slug}` },
					unitIds: [place.commune],
					resultsMode: 'live'
				},
				null
			);
			await setWaveStatus(t.db, id, 'open', null);
			const spec = (await latestPublished(t.db, 'sipas'))!.spec;
			for (let i = 0; i < responses; i++, submitted++) {
				const result = await submitResponse(t.db, {
					waveId: id,
					versionId: sipas.id,
					unitId: place.commune,
					mode: 'web',
					submitKey: `plan-wave-${submitted}-0123456789`,
					answers: randomAnswers(spec, submitted + 3)
				});
				expect(result.ok).toBe(true);
			}
			while ((await aggregateQueued(t.db, 100)) > 0);
			await setWaveStatus(t.db, id, 'closed', null);
			await refreshSnapshots(t.db);
			return id;
		};
		const plan = { instrument_id: sipas.instrumentId, weak_below: 0.5 };
		expect(await planScores(t.db, plan)).toMatchObject({ wave: null, waves: [], rows: [] });

		const first = await wave('dot-1', 30);
		const few = await wave('dot-2-it-phieu', 3);
		// the newest wave has 3 responses: every score of it is hidden, so the first is used
		expect((await publishableWaves(t.db, sipas.instrumentId)).map((w) => w.id)).toEqual([first]);
		const scored = await planScores(t.db, plan);
		expect(scored.wave?.id).toBe(first);
		expect(scored.waves.map((w) => w.id)).toEqual([first]);
		expect(scored.rows.some((r) => r.latest !== null)).toBe(true);
		// asking for the wave without publishable results gives the latest that has them
		expect((await planScores(t.db, plan, few)).wave?.id).toBe(first);

		const third = await wave('dot-3', 20);
		const latest = await planScores(t.db, plan);
		expect(latest.waves.map((w) => [w.id, w.responses])).toEqual([
			[third, 20],
			[first, 30]
		]);
		expect(latest.wave?.id).toBe(third);
		expect(latest.previous?.title.vi).toBe('Đợt dot-1');
		const chosen = await planScores(t.db, plan, first);
		expect(chosen.wave?.id).toBe(first);
		expect(chosen.previous).toBeNull();
		// the figures are the chosen wave's own
		const estimate = (s: typeof latest) => s.rows.find((r) => r.latest)?.latest?.estimate;
		expect(estimate(chosen)).not.toBe(estimate(latest));
	});
});
