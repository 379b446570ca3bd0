import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant, Staff } from '$lib/auth/access';
import { addDays, addWorkingDays, vietnamDate } from '$lib/deadlines/working-days';
import { setUserDisabled } from '$lib/server/auth/users';
import { loadCalendar } from '$lib/server/deadlines/calendar';
import { compliance } from '$lib/server/disclosures/compliance';
import { createDisclosure, saveVersion, type NewDisclosure } from '$lib/server/disclosures/publish';
import type { Message } from '$lib/server/notify/message';
import {
	DISCLOSURE_NOTICE_DAYS,
	OVERDUE_NOTICE_DAYS,
	digestOf,
	scanStaffWork,
	vietnamHour
} from '$lib/server/notify/staff-scan';
import { useTransport } from '$lib/server/notify/transports';
import { deliverDue } from '$lib/server/notify/worker';
import { addTask, createPlan, setPlanStatus } from '$lib/server/plans/plans';
import { askQuestion } from '$lib/server/questions/ask';
import { acceptQuestion, saveDraft, transferQuestion } from '$lib/server/questions/cases';
import { recordEvent } from '$lib/server/questions/events';
import { staffHome } from '$lib/server/staff/home';
import { saveNotifySettings } from '$lib/server/staff/notify-settings';
import { ensureInstruments } from '../../seeds/instruments';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

/** Friday 3 July 2026, 10:00 in Vietnam: Monday the 6th is the next working day. */
const FRIDAY = new Date('2026-07-03T03:00:00Z');
const ASKER = 'nguoi.hoi@example.vn';

describe.each(backends)('staff notifications on %s', (backend) => {
	let t: TestDb;
	let province: number;
	let commune: number;
	let agencyA: number;
	let agencyB: number;
	let moderator: Staff;
	let officialA: Staff;
	let approverA: Staff;
	let bothA: Staff;
	let digestA: Staff;
	let offA: Staff;
	let disabledA: Staff;
	let officialB: Staff;
	let approverB: Staff;
	const sent: Message[] = [];

	const user = (email: string, grants: Omit<Grant, 'unitId'>[]) => staffMember(t.db, email, grants);

	/** Who got a notification of `kind` (about `about`, a params field), sorted. */
	async function recipients(kind: string, about?: Record<string, unknown>) {
		const rows = await t.db
			.selectFrom('notification')
			.select(['user_id', 'params'])
			.where('kind', '=', kind)
			.execute();
		return rows
			.filter((r) => Object.entries(about ?? {}).every(([k, v]) => r.params[k] === v))
			.map((r) => r.user_id!)
			.sort();
	}
	const ids = (...staff: Staff[]) => staff.map((s) => s.id).sort();

	async function routedQuestion(agencyId: number) {
		const asked = await askQuestion(t.db, {
			topic: 'dat-dai',
			unitId: commune,
			agencyId: null,
			title: 'Hỏi về thủ tục đất đai',
			body: 'Xin hỏi thủ tục cấp Giấy chứng nhận quyền sử dụng đất lần đầu gồm những gì?',
			name: 'Nguyễn Văn An',
			email: ASKER,
			phone: '0912345678',
			consent: true,
			files: []
		});
		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agencyId],
			topic: 'dat-dai',
			publicTitle: 'Thủ tục cấp Giấy chứng nhận lần đầu',
			publicBody: 'Hồ sơ gồm những gì?'
		});
		return asked;
	}

	beforeAll(async () => {
		useTransport('email', { send: async (message) => void sent.push(message) });
		t = await migratedDb(backend);
		await ensureInstruments(t.db);
		({ province, commune } = await provinceWithCommune(t.db));
		[agencyA, agencyB] = (
			await t.db
				.insertInto('agency')
				.values([
					{
						slug: 'a',
						name_vi: 'Sở A',
						name_en: 'Department A',
						kind: 'department',
						unit_id: province
					},
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
		bothA = await user('ba@x.vn', [
			{ role: 'official', agencyId: agencyA },
			{ role: 'approver', agencyId: agencyA }
		]);
		digestA = await user('da@x.vn', [{ role: 'official', agencyId: agencyA }]);
		offA = await user('offa@x.vn', [{ role: 'official', agencyId: agencyA }]);
		disabledA = await user('xa@x.vn', [{ role: 'official', agencyId: agencyA }]);
		officialB = await user('ob@x.vn', [{ role: 'official', agencyId: agencyB }]);
		approverB = await user('ab@x.vn', [
			{ role: 'approver', agencyId: agencyB },
			{ role: 'official', agencyId: agencyA }
		]);
		await saveNotifySettings(t.db, digestA.id, { mode: 'digest', digestHour: 7, lang: 'vi' });
		await saveNotifySettings(t.db, offA.id, { mode: 'off', digestHour: 7, lang: 'vi' });
		await setUserDisabled(t.db, disabledA.id, true, moderator.id);
		await saveNotifySettings(t.db, approverA.id, { mode: 'immediate', digestHour: 7, lang: 'en' });
	});
	afterAll(async () => {
		useTransport('email', undefined);
		await t?.close();
	});

	it("tells a new case to the officials of its agency in 'immediate' mode, in their language, without the asker's contact", async () => {
		const asked = await routedQuestion(agencyA);
		// officials of A only: not its approver, not B, not digest or off, not a disabled account
		expect(await recipients('staff.new_case', { questionId: asked.id })).toEqual(
			ids(officialA, bothA, approverB)
		);
		sent.length = 0;
		await deliverDue(t.db);
		const mine = sent.filter((s) => s.kind === 'staff.new_case' && s.to.email === 'oa@x.vn');
		expect(mine).toHaveLength(1);
		expect(mine[0]!.subject).toContain(asked.code);
		expect(mine[0]!.text).toContain('Thủ tục cấp Giấy chứng nhận lần đầu');
		expect(mine[0]!.text).toContain('Sở A');
		expect(mine[0]!.link?.href).toMatch(new RegExp(`/officials/questions/\\d+$`));
		// what goes to staff (the asker's own acknowledgment goes to the asker)
		for (const s of sent.filter((s) => s.kind.startsWith('staff.'))) {
			expect(s.text).not.toContain(ASKER);
			expect(s.text).not.toContain('0912345678');
			expect(s.text).not.toContain('Nguyễn Văn An');
		}
		const params = await t.db.selectFrom('notification').select('params').execute();
		expect(JSON.stringify(params)).not.toContain(ASKER);
	});

	it('tells a transferred case to the officials of the agency it goes to', async () => {
		const asked = await routedQuestion(agencyA);
		await transferQuestion(t.db, officialA, asked.id, agencyB, 'Thuộc thẩm quyền của xã.');
		expect(await recipients('staff.new_case', { questionId: asked.id, agencyId: agencyB })).toEqual(
			ids(officialB)
		);
	});

	it('tells a case routed without a staff actor (a step of the system) as well', async () => {
		const asked = await routedQuestion(agencyA);
		await recordEvent(t.db, {
			questionId: asked.id,
			kind: 'routed',
			actorId: null,
			agencyId: agencyB
		});
		expect(await recipients('staff.new_case', { questionId: asked.id, agencyId: agencyB })).toEqual(
			ids(officialB)
		);
	});

	it('tells a submitted reply to the approvers of the agency who did not write it', async () => {
		const asked = await routedQuestion(agencyA);
		await saveDraft(t.db, bothA, asked.id, 'Hồ sơ gồm **đơn đăng ký**.', [], true);
		// bothA wrote it (four eyes); approverB approves for B, not A
		expect(await recipients('staff.reply_to_approve', { questionId: asked.id })).toEqual(
			ids(approverA)
		);
		sent.length = 0;
		await deliverDue(t.db);
		const english = sent.find((s) => s.kind === 'staff.reply_to_approve');
		expect(english?.lang).toBe('en');
		expect(english?.subject).toBe(`The reply to ${asked.code} waits for your approval`);
	});

	it('says nothing of a step that rolls back', async () => {
		const before = await recipients('staff.reply_to_approve');
		const asked = await routedQuestion(agencyB);
		// officialA is not an official of B: refused, and nothing is written
		await expect(saveDraft(t.db, officialA, asked.id, 'Trả lời.', [], true)).rejects.toThrow();
		expect(await recipients('staff.reply_to_approve')).toEqual(before);
	});

	it("tells a disclosure sent for approval to the agency's approvers who did not write it", async () => {
		const draft: NewDisclosure = {
			typeCode: 'thuc-hien-ngan-sach-xa-quy',
			unitId: commune,
			agencyId: agencyB,
			period: '2026-Q1',
			title: 'Thực hiện ngân sách xã quý I/2026',
			summary: 'Số liệu thu, chi ngân sách.',
			bodyMd: 'Số liệu.',
			effectiveOn: '2026-04-10',
			files: []
		};
		const id = await createDisclosure(t.db, officialB, draft);
		await saveVersion(t.db, officialB, id, draft, [], false);
		expect(await recipients('staff.disclosure_to_approve', { disclosureId: id })).toEqual([]);
		await saveVersion(t.db, officialB, id, draft, [], true);
		expect(await recipients('staff.disclosure_to_approve', { disclosureId: id })).toEqual(
			ids(approverB)
		);
		sent.length = 0;
		await deliverDue(t.db);
		expect(sent.find((s) => s.kind === 'staff.disclosure_to_approve')?.link?.href).toMatch(
			new RegExp(`/officials/disclosures/${id}$`)
		);
	});

	it('reminds a deadline in one working day and an overdue case once, however many scans run', async () => {
		const asked = await routedQuestion(agencyA);
		const today = vietnamDate(FRIDAY);
		const monday = addWorkingDays(today, 1, await loadCalendar(t.db));
		expect(monday).toBe('2026-07-06');
		await t.db.updateTable('question').set({ due_on: monday }).where('id', '=', asked.id).execute();
		// the case's staff (officials and approvers of A) in 'immediate' mode
		const staffOfA = ids(officialA, approverA, bothA, approverB);
		// Thursday: two working days left, nothing yet
		await scanStaffWork(t.db, new Date('2026-07-02T03:00:00Z'));
		expect(await recipients('staff.question_due', { questionId: asked.id })).toEqual([]);
		// two servers at once, then again: one each
		await Promise.all([scanStaffWork(t.db, FRIDAY), scanStaffWork(t.db, FRIDAY)]);
		await scanStaffWork(t.db, FRIDAY);
		expect(await recipients('staff.question_due', { questionId: asked.id })).toEqual(staffOfA);
		expect(await recipients('staff.question_overdue', { questionId: asked.id })).toEqual([]);
		const tuesday = new Date('2026-07-07T03:00:00Z');
		await Promise.all([scanStaffWork(t.db, tuesday), scanStaffWork(t.db, tuesday)]);
		await scanStaffWork(t.db, new Date('2026-07-08T03:00:00Z'));
		expect(await recipients('staff.question_overdue', { questionId: asked.id })).toEqual(staffOfA);
		// each says which case and when it was due, and links to it
		sent.length = 0;
		await deliverDue(t.db);
		const toOfficial = sent.filter(
			(s) =>
				s.to.email === 'oa@x.vn' &&
				s.kind.startsWith('staff.question_') &&
				s.text.includes(asked.code)
		);
		expect(toOfficial.map((s) => s.kind).sort()).toEqual([
			'staff.question_due',
			'staff.question_overdue'
		]);
		for (const s of toOfficial) {
			expect(s.subject).toContain(asked.code);
			expect(s.text).toContain('06/07/2026');
			expect(s.link?.href).toMatch(new RegExp(`/officials/questions/${asked.id}$`));
		}
		expect(toOfficial[0]!.subject).not.toBe(toOfficial[1]!.subject);
		// a case overdue for longer than a week when the scan first sees it: counted, not announced
		const stale = await routedQuestion(agencyA);
		await t.db
			.updateTable('question')
			.set({ due_on: '2026-06-19' })
			.where('id', '=', stale.id)
			.execute();
		await scanStaffWork(t.db, FRIDAY);
		expect(await recipients('staff.question_overdue', { questionId: stale.id })).toEqual([]);
	});

	it("reminds a disclosure of the agency's unit due within a week and overdue, once", async () => {
		// three days before the commune's next item falls due (the earliest due within 30 days)
		const next = (await compliance(t.db, FRIDAY)).cells
			.filter((c) => c.unitId === commune && c.state === 'due_soon')
			.sort((x, y) => x.due!.localeCompare(y.due!))[0]!;
		const now = new Date(`${addDays(next.due!, -3)}T03:00:00Z`);
		const cells = (await compliance(t.db, now)).cells;
		const weekAhead = addDays(vietnamDate(now), DISCLOSURE_NOTICE_DAYS);
		const soon = cells.filter(
			(c) => c.unitId === commune && c.state === 'due_soon' && c.due! <= weekAhead
		);
		const later = cells.filter(
			(c) => c.unitId === commune && c.state === 'due_soon' && c.due! > weekAhead
		);
		expect(soon.length).toBeGreaterThan(0);
		await Promise.all([scanStaffWork(t.db, now), scanStaffWork(t.db, now)]);
		const about = (c: { unitId: number; typeCode: string; period: string | null }) => ({
			unitId: c.unitId,
			typeCode: c.typeCode,
			period: c.period
		});
		// each item of the commune B serves to B's staff in 'immediate' mode, once; due in more
		// than a week: not yet
		for (const c of soon)
			expect(await recipients('staff.disclosure_due', about(c))).toEqual(ids(officialB, approverB));
		for (const c of later) expect(await recipients('staff.disclosure_due', about(c))).toEqual([]);

		// two days after, the item is overdue: announced once more, as overdue
		const after = new Date(`${addDays(next.due!, 2)}T03:00:00Z`);
		await Promise.all([scanStaffWork(t.db, after), scanStaffWork(t.db, after)]);
		expect(await recipients('staff.disclosure_overdue', about(next))).toEqual(
			ids(officialB, approverB)
		);
		// items overdue for longer than a week before any scan ran are counted, not announced
		const old = cells.filter(
			(c) =>
				c.unitId === commune &&
				c.state === 'overdue' &&
				c.due! < addDays('2026-07-02', -OVERDUE_NOTICE_DAYS)
		);
		expect(old.length).toBeGreaterThan(0);
		for (const c of old) expect(await recipients('staff.disclosure_overdue', about(c))).toEqual([]);
		// nobody of A only (the province's department) hears of the commune's items
		expect(await recipients('staff.disclosure_overdue', { unitId: commune })).not.toContain(
			officialA.id
		);
		sent.length = 0;
		await deliverDue(t.db);
		const mail = sent.find((s) => s.kind === 'staff.disclosure_overdue');
		expect(mail?.text).toContain('Xã Vị Xuyên');
		expect(mail?.link?.href).toMatch(/\/officials\/disclosures\/compliance\?state=overdue$/);
	});

	it('reminds a plan report due and overdue to the staff of the lead agency, once', async () => {
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
		const task = await addTask(t.db, officialA, plan, {
			measureCode: null,
			title: 'Tổ chức đối thoại',
			leadAgencyId: agencyB,
			cooperating: '',
			timeline: 'Năm 2026',
			recurrence: 'quarterly',
			dueOn: null,
			target: '',
			output: ''
		});
		await setPlanStatus(t.db, approverA, plan, 'active', new Date('2026-01-05T03:00:00Z'));
		// early July: the second quarter's report is due; the first's, overdue since April, is
		// counted on the home, not announced (OVERDUE_NOTICE_DAYS)
		await scanStaffWork(t.db, FRIDAY);
		await scanStaffWork(t.db, FRIDAY);
		expect(await recipients('staff.report_due', { taskId: task, period: '2026-Q2' })).toEqual(
			ids(officialB, approverB)
		);
		expect(await recipients('staff.report_due', { taskId: task, period: '2026-Q1' })).toEqual([]);
		expect(await recipients('staff.report_overdue', { taskId: task })).toEqual([]);
		// two days past the second quarter's deadline: overdue, announced once
		const { params } = await t.db
			.selectFrom('notification')
			.select('params')
			.where('kind', '=', 'staff.report_due')
			.where('user_id', '=', officialB.id)
			.executeTakeFirstOrThrow();
		const after = new Date(`${addDays(params.due as string, 2)}T03:00:00Z`);
		await Promise.all([scanStaffWork(t.db, after), scanStaffWork(t.db, after)]);
		expect(await recipients('staff.report_overdue', { taskId: task, period: '2026-Q2' })).toEqual(
			ids(officialB, approverB)
		);
	});

	it("sends the digest at the person's hour with the staff home's counts, once a day, never empty", async () => {
		const digests = () => recipients('staff.digest');
		// 06:30 in Vietnam: before digestA's hour (7)
		const early = new Date('2026-07-03T23:30:00Z');
		expect(vietnamHour(early)).toBe(6);
		await scanStaffWork(t.db, early);
		expect(await digests()).toEqual([]);
		const seven = new Date('2026-07-04T00:10:00Z');
		await Promise.all([scanStaffWork(t.db, seven), scanStaffWork(t.db, seven)]);
		await scanStaffWork(t.db, new Date('2026-07-04T00:40:00Z'));
		expect(await digests()).toEqual(ids(digestA));
		const row = await t.db
			.selectFrom('notification')
			.select(['params', 'dedupe_key'])
			.where('kind', '=', 'staff.digest')
			.executeTakeFirstOrThrow();
		expect(row.dedupe_key).toBe(`digest:${digestA.id}:2026-07-04`);
		const home = await staffHome(
			t.db,
			{ id: digestA.id, email: 'da@x.vn', displayName: 'da', grants: [...digestA.grants] },
			seven
		);
		expect(row.params).toEqual(
			JSON.parse(JSON.stringify(digestOf(home, digestA.grants, '2026-07-04')))
		);
		const open = (row.params.counts as { label: string; n: number }[]).find(
			(c) => c.label === 'staff_home_to_answer'
		);
		expect(open?.n).toBe(home.questions!.open);
		expect(open?.n).toBeGreaterThan(0);
		// as the page shows it: replies to approve only to an approver
		expect(JSON.stringify(row.params)).not.toContain('staff_home_replies_to_approve');

		sent.length = 0;
		await deliverDue(t.db);
		const mail = sent.find((s) => s.kind === 'staff.digest');
		expect(mail?.to.email).toBe('da@x.vn');
		expect(mail?.text).toContain(`Câu hỏi giao cơ quan bạn trả lời: ${home.questions!.open}`);
		expect(mail?.link?.href).toMatch(/\/staff$/);

		// the next day at the same hour: another one
		await scanStaffWork(t.db, new Date('2026-07-05T00:10:00Z'));
		expect(await digests()).toEqual(ids(digestA, digestA));

		// nothing is sent when every count is zero (an analyst with no wave to run)
		const idle = await user('idle@x.vn', [{ role: 'analyst', agencyId: null }]);
		await saveNotifySettings(t.db, idle.id, { mode: 'digest', digestHour: 7, lang: 'vi' });
		await scanStaffWork(t.db, new Date('2026-07-06T00:10:00Z'));
		expect(await digests()).toEqual(ids(digestA, digestA, digestA));
	});
});
