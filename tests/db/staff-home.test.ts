import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant, Staff } from '$lib/auth/access';
import { setUserDisabled } from '$lib/server/auth/users';
import type { SessionUser } from '$lib/server/auth/session';
import { compliance } from '$lib/server/disclosures/compliance';
import {
	approveVersion,
	createDisclosure,
	saveVersion,
	type NewDisclosure
} from '$lib/server/disclosures/publish';
import { addTask, createPlan, setPlanStatus } from '$lib/server/plans/plans';
import { submitReport } from '$lib/server/plans/reports';
import { askQuestion, type NewQuestion } from '$lib/server/questions/ask';
import { acceptQuestion, saveDraft } from '$lib/server/questions/cases';
import {
	accountCounts,
	disclosuresDue,
	disclosuresToApprove,
	myDisclosureDrafts,
	planReportsDue,
	questionsForAgencies,
	questionsToModerate,
	staffHome,
	wavesToRun
} from '$lib/server/staff/home';
import { staffMenu } from '$lib/server/staff/menu';
import { latestPublished } from '$lib/server/surveys/instruments';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

/** Early July 2026: the second quarter has ended, its reports are due; the first's are overdue. */
const JULY = new Date('2026-07-03T03:00:00Z');

const session = (s: Staff): SessionUser => ({
	id: s.id,
	email: `${s.id}@x.vn`,
	displayName: s.id,
	grants: [...s.grants]
});

describe('the staff menu', () => {
	const menu = (...grants: Omit<Grant, 'agencyId' | 'unitId'>[]) =>
		staffMenu(
			session({ id: 'x', grants: grants.map((g) => ({ ...g, agencyId: null, unitId: null })) })
		).map((e) => e.item);

	it('lists only the places each role may enter, home first', () => {
		expect(menu()).toEqual(['home']);
		expect(menu({ role: 'interviewer' })).toEqual(['home']);
		expect(menu({ role: 'official' })).toEqual([
			'home',
			'questions',
			'disclosures',
			'compliance',
			'plans',
			'dossiers',
			'letters',
			'delays'
		]);
		expect(menu({ role: 'moderator' })).toEqual(menu({ role: 'approver' }));
		expect(menu({ role: 'analyst' })).toEqual(['home', 'analytics', 'fieldwork']);
		expect(menu({ role: 'admin' })).toEqual([
			'home',
			'fieldwork',
			'admin',
			'notifications',
			'dossierTokens'
		]);
		expect(menu({ role: 'admin' }, { role: 'analyst' }, { role: 'official' })).toEqual([
			'home',
			'questions',
			'disclosures',
			'compliance',
			'plans',
			'dossiers',
			'letters',
			'delays',
			'analytics',
			'fieldwork',
			'admin',
			'notifications',
			'dossierTokens'
		]);
	});
});

describe.each(backends)('staff home counts on %s', (backend) => {
	let t: TestDb;
	let province: number;
	let commune: number;
	let agencyA: number;
	let agencyB: number;
	let moderator: Staff;
	let officialA: Staff;
	let approverA: Staff;
	let officialB: Staff;
	let approverB: Staff;
	let bothB: Staff;
	let admin: Staff;
	let stranger: Staff;

	const user = (email: string, grants: Omit<Grant, 'unitId'>[]) => staffMember(t.db, email, grants);

	const question = (): NewQuestion => ({
		topic: 'dat-dai',
		unitId: commune,
		agencyId: null,
		title: 'Hỏi về thủ tục đất đai',
		body: 'Xin hỏi thủ tục đất đai để cấp Giấy chứng nhận lần đầu gồm những gì?',
		name: null,
		email: 'nguoi.hoi@example.vn',
		phone: null,
		consent: true,
		files: []
	});

	const budget = (period: string): NewDisclosure => ({
		typeCode: 'thuc-hien-ngan-sach-xa-quy',
		unitId: commune,
		agencyId: agencyB,
		period,
		title: `Thực hiện ngân sách xã ${period}`,
		summary: 'Số liệu thu, chi ngân sách.',
		bodyMd: 'Số liệu.',
		effectiveOn: '2026-04-10',
		files: []
	});

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureInstruments(t.db);
		({ province, commune } = await provinceWithCommune(t.db));
		[agencyA, agencyB] = (
			await t.db
				.insertInto('agency')
				.values([
					{ slug: 'a', name_vi: 'Sở A', name_en: 'A', kind: 'department', unit_id: province },
					{
						slug: 'b',
						name_vi: 'Ủy ban nhân dân xã B',
						name_en: 'B',
						kind: 'commune_committee',
						unit_id: commune
					}
				])
				.returning('id')
				.execute()
		).map((a) => a.id) as [number, number];
		moderator = await user('mod@x.vn', [{ role: 'moderator', agencyId: null }]);
		officialA = await user('oa@x.vn', [{ role: 'official', agencyId: agencyA }]);
		approverA = await user('aa@x.vn', [{ role: 'approver', agencyId: agencyA }]);
		officialB = await user('ob@x.vn', [{ role: 'official', agencyId: agencyB }]);
		approverB = await user('ab@x.vn', [{ role: 'approver', agencyId: agencyB }]);
		bothB = await user('bb@x.vn', [
			{ role: 'official', agencyId: agencyB },
			{ role: 'approver', agencyId: agencyB }
		]);
		admin = await user('admin@x.vn', [{ role: 'admin', agencyId: null }]);
		// an account with no role yet (staffMember grants at least one)
		const { id } = await t.db
			.insertInto('app_user')
			.values({ email: 's@x.vn', display_name: 's', password_hash: 'x' })
			.returning('id')
			.executeTakeFirstOrThrow();
		stranger = { id, grants: [] };
	});
	afterAll(async () => t?.close());

	it('counts a question for the moderator, then for the agency it is routed to', async () => {
		const before = await questionsToModerate(t.db);
		const asked = await askQuestion(t.db, question());
		expect(await questionsToModerate(t.db)).toBe(before + 1);
		expect(await questionsForAgencies(t.db, officialA)).toEqual({
			open: 0,
			overdue: 0,
			toApprove: 0
		});

		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agencyA],
			topic: 'dat-dai',
			publicTitle: 't',
			publicBody: 'b'
		});
		expect(await questionsToModerate(t.db)).toBe(before);
		expect(await questionsForAgencies(t.db, officialA)).toEqual({
			open: 1,
			overdue: 0,
			toApprove: 0
		});
		// past the legal deadline it is overdue; agency B sees none of it
		const later = new Date('2031-01-01T03:00:00Z');
		expect((await questionsForAgencies(t.db, officialA, later)).overdue).toBe(1);
		expect(await questionsForAgencies(t.db, officialB, later)).toEqual({
			open: 0,
			overdue: 0,
			toApprove: 0
		});

		// the drafted reply waits for A's approver, not for A's official
		await saveDraft(t.db, officialA, asked.id, 'Hồ sơ gồm **đơn đăng ký**.', [], true);
		expect((await questionsForAgencies(t.db, approverA)).toApprove).toBe(1);
		expect((await questionsForAgencies(t.db, officialA)).toApprove).toBe(0);
		expect((await questionsForAgencies(t.db, approverB)).toApprove).toBe(0);
	});

	it('does not count for its approver a reply they wrote (four eyes)', async () => {
		const asked = await askQuestion(t.db, question());
		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agencyB],
			topic: 'dat-dai',
			publicTitle: 't',
			publicBody: 'b'
		});
		const [ownBefore, otherBefore] = [
			(await questionsForAgencies(t.db, bothB)).toApprove,
			(await questionsForAgencies(t.db, approverB)).toApprove
		];
		await saveDraft(t.db, bothB, asked.id, 'Hồ sơ gồm **đơn đăng ký**.', [], true);
		expect((await questionsForAgencies(t.db, bothB)).toApprove).toBe(ownBefore);
		expect((await questionsForAgencies(t.db, approverB)).toApprove).toBe(otherBefore + 1);
	});

	it("counts a disclosure draft as its writer's, then as the approver's, never both (four eyes)", async () => {
		const id = await createDisclosure(t.db, officialB, budget('2026-Q1'));
		expect(await myDisclosureDrafts(t.db, officialB)).toBe(1);
		expect(await myDisclosureDrafts(t.db, bothB)).toBe(0);
		expect(await disclosuresToApprove(t.db, approverB)).toBe(0);

		// written by the person who holds both roles: theirs to finish, another's to approve
		const own = await createDisclosure(t.db, bothB, budget('2026-Q2'));
		await saveVersion(t.db, bothB, own, budget('2026-Q2'), [], true);
		expect(await disclosuresToApprove(t.db, bothB)).toBe(0);
		expect(await disclosuresToApprove(t.db, approverB)).toBe(1);

		await saveVersion(t.db, officialB, id, budget('2026-Q1'), [], true);
		expect(await myDisclosureDrafts(t.db, officialB)).toBe(0);
		expect(await disclosuresToApprove(t.db, approverB)).toBe(2);
		expect(await disclosuresToApprove(t.db, bothB)).toBe(1);
		expect(await disclosuresToApprove(t.db, approverA)).toBe(0);

		await approveVersion(t.db, approverB, id);
		expect(await disclosuresToApprove(t.db, approverB)).toBe(1);
		expect(await disclosuresToApprove(t.db, bothB)).toBe(0);
	});

	it("counts the scheduled disclosures due and overdue of the agency's own unit only", async () => {
		const cells = (await compliance(t.db, JULY)).cells;
		const count = (unit: number, state: string) =>
			cells.filter((c) => c.unitId === unit && c.state === state).length;
		// the commune's Q1 budget report was published above; the Q2 one is still waiting
		const forB = await disclosuresDue(t.db, officialB, JULY);
		expect(forB).toEqual({
			dueSoon: count(commune, 'due_soon'),
			overdue: count(commune, 'overdue')
		});
		expect(cells.some((c) => c.unitId === commune && c.state === 'published')).toBe(true);
		expect(await disclosuresDue(t.db, approverA, JULY)).toEqual({
			dueSoon: count(province, 'due_soon'),
			overdue: count(province, 'overdue')
		});
		expect(await disclosuresDue(t.db, moderator, JULY)).toEqual({ dueSoon: 0, overdue: 0 });

		// publishing an overdue item takes it off the count
		const overdue = cells.find((c) => c.unitId === commune && c.state === 'overdue')!;
		expect(overdue).toBeDefined();
		const late = {
			...budget(overdue.period!),
			typeCode: overdue.typeCode,
			title: 'Báo cáo công khai nộp muộn'
		};
		const id = await createDisclosure(t.db, officialB, late);
		await saveVersion(t.db, officialB, id, late, [], true);
		await approveVersion(t.db, approverB, id);
		expect((await disclosuresDue(t.db, officialB, JULY)).overdue).toBe(forB.overdue - 1);
	});

	it("counts the plan reports due and overdue on the tasks the person's agency leads", async () => {
		const instrument = await t.db
			.selectFrom('instrument')
			.select('id')
			.where('slug', '=', 'papi')
			.executeTakeFirstOrThrow();
		const plan = await createPlan(t.db, officialA, {
			title: 'Kế hoạch nâng cao Chỉ số PAPI năm 2026',
			unit_id: province,
			agency_id: agencyA,
			instrument_id: instrument.id,
			year_from: 2026,
			year_to: 2026,
			legal_ref: '',
			report_frequency: 'quarterly',
			weak_below: 0.5
		});
		const task = (lead: number, title: string) => ({
			measureCode: null,
			title,
			leadAgencyId: lead,
			cooperating: '',
			timeline: 'Năm 2026',
			recurrence: 'quarterly' as const,
			dueOn: null,
			target: '',
			output: ''
		});
		const forB = await addTask(t.db, officialA, plan, task(agencyB, 'Tổ chức đối thoại'));
		await addTask(t.db, officialA, plan, task(agencyA, 'Tuyên truyền pháp luật'));
		// a draft owes no report; adopted by the agency's approver early in the year, it owes them
		// from the first quarter on
		expect(await planReportsDue(t.db, officialB, JULY)).toEqual([]);
		await setPlanStatus(t.db, approverA, plan, 'active', new Date('2026-01-05T03:00:00Z'));

		// early July: the first quarter's report is overdue, the second's is due
		expect(await planReportsDue(t.db, officialB, JULY)).toEqual([
			{ id: plan, title: 'Kế hoạch nâng cao Chỉ số PAPI năm 2026', due: 1, overdue: 1 }
		]);
		expect((await planReportsDue(t.db, approverA, JULY))[0]).toMatchObject({ due: 1, overdue: 1 });
		expect(await planReportsDue(t.db, moderator, JULY)).toEqual([]);
		// before the first quarter ends nothing is due
		expect(await planReportsDue(t.db, officialB, new Date('2026-03-15T03:00:00Z'))).toEqual([]);

		const report = (period: string) => ({
			period,
			percent: 50,
			progress: 'Đã tổ chức một buổi đối thoại.',
			links: '',
			internalNote: '',
			files: []
		});
		await submitReport(t.db, officialB, forB, report('2026-Q1'));
		expect(await planReportsDue(t.db, officialB, JULY)).toMatchObject([{ due: 1, overdue: 0 }]);
		await submitReport(t.db, officialB, forB, report('2026-Q2'));
		expect(await planReportsDue(t.db, officialB, JULY)).toEqual([]);
	});

	it('counts the waves in fieldwork scope: open, past their closing day, not yet opened', async () => {
		const other = await t.db
			.insertInto('admin_unit')
			.values({ code: '01', name: 'Thành phố Hà Nội', level: 'province', valid_from: '2025-07-01' })
			.returning('id')
			.executeTakeFirstOrThrow();
		const analyst = (unitId: number): SessionUser => ({
			id: officialA.id,
			email: 'an@x.vn',
			displayName: 'an',
			grants: [{ role: 'analyst', agencyId: null, unitId }]
		});
		const versionId = (await latestPublished(t.db, 'sipas'))!.id;
		const wave = (slug: string, closesOn: string | null) =>
			createWave(
				t.db,
				{ slug, versionId, title: { vi: slug, en: slug }, unitIds: [commune], closesOn },
				null
			);
		const open = await wave('mo', '2026-12-31');
		const overrun = await wave('qua-han', '2026-06-30');
		await wave('nhap', null);
		await setWaveStatus(t.db, open, 'open', null);
		await setWaveStatus(t.db, overrun, 'open', null);

		expect(await wavesToRun(t.db, analyst(province), JULY)).toEqual({
			open: 2,
			toClose: 1,
			drafts: 1
		});
		expect(await wavesToRun(t.db, analyst(other.id), JULY)).toEqual({
			open: 0,
			toClose: 0,
			drafts: 0
		});
		await setWaveStatus(t.db, overrun, 'closed', null);
		expect(await wavesToRun(t.db, session(admin), JULY)).toEqual({
			open: 1,
			toClose: 0,
			drafts: 1
		});
	});

	it('counts the accounts for the administrator', async () => {
		// the eight accounts made above
		expect(await accountCounts(t.db)).toEqual({ active: 8, disabled: 0 });
		await setUserDisabled(t.db, stranger.id, true, admin.id);
		expect(await accountCounts(t.db)).toEqual({ active: 7, disabled: 1 });
	});

	it('gives each person only the sections of the roles they hold', async () => {
		const home = async (s: Staff) => {
			const h = await staffHome(t.db, session(s), JULY);
			return Object.entries(h)
				.filter(([, v]) => v !== null)
				.map(([k]) => k);
		};
		expect(await home(moderator)).toEqual(['moderation']);
		expect(await home(officialB)).toEqual(['questions', 'disclosures', 'plans']);
		expect(await home(admin)).toEqual(['waves', 'accounts']);
		expect(await home(stranger)).toEqual([]);
		const approver = await staffHome(t.db, session(approverB), JULY);
		// an approver drafts nothing: no "your drafts" count
		expect(approver.disclosures).toMatchObject({ toApprove: 1, drafts: null });
	});
});
