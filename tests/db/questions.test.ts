import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Grant } from '$lib/auth/access';
import { vietnamDate } from '$lib/deadlines/working-days';
import { askQuestion, purgeExpiredContacts, type NewQuestion } from '$lib/server/questions/ask';
import {
	askerQuestion,
	provideInfo,
	rateAnswer,
	reopenQuestion
} from '$lib/server/questions/asker';
import {
	acceptQuestion,
	addNote,
	approveReply,
	mergeQuestion,
	rejectQuestion,
	requestInfo,
	returnReply,
	saveDraft,
	transferQuestion,
	type Staff
} from '$lib/server/questions/cases';
import { DomainError } from '$lib/server/forms/refusal';
import { timeline } from '$lib/server/questions/events';
import { filesOf, readQuestionFile, type FileScope } from '$lib/server/questions/files';
import {
	listQuestions,
	publicQuestion,
	recentAnswers,
	similarAnswers,
	type ListFilter
} from '$lib/server/questions/public';
import { caseQueue, staffCase } from '$lib/server/questions/staff';
import { questionStats } from '$lib/server/questions/stats';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

const everything: ListFilter = {
	q: '',
	topic: null,
	unitId: null,
	agencyId: null,
	state: null,
	sort: 'recent',
	page: 1
};

describe.each(backends)('questions and answers on %s', (backend) => {
	let t: TestDb;
	let unit: number;
	let agencyA: number;
	let agencyB: number;
	let moderator: Staff;
	let officialA: Staff;
	let approverA: Staff;
	let officialB: Staff;
	let approverB: Staff;
	let bothA: Staff;

	const question = (over: Partial<NewQuestion> = {}): NewQuestion => ({
		topic: 'dat-dai',
		unitId: unit,
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

	const user = (email: string, grants: Omit<Grant, 'unitId'>[]) => staffMember(t.db, email, grants);

	/** A citizen's question, accepted by the moderator and routed to agency A. */
	async function routedToA() {
		const asked = await askQuestion(t.db, question());
		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agencyA],
			topic: 'dat-dai',
			publicTitle: 't',
			publicBody: 'b'
		});
		return asked;
	}

	/** Accepted, drafted by A's official, published by A's approver. */
	async function answered(over: Partial<NewQuestion> = {}) {
		const asked = await askQuestion(t.db, question(over));
		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agencyA],
			topic: 'dat-dai',
			publicTitle: over.title ?? 'Hỏi về thủ tục đất đai',
			publicBody: 'Xin hỏi thủ tục đất đai để cấp Giấy chứng nhận lần đầu gồm những gì?'
		});
		await saveDraft(t.db, officialA, asked.id, 'Hồ sơ gồm **đơn đăng ký**.', [], true);
		await approveReply(t.db, approverA, asked.id);
		return asked;
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		const province = { id: place.province };
		unit = place.commune;
		const agencies = await t.db
			.insertInto('agency')
			.values([
				{ slug: 'a', name_vi: 'Cơ quan A', name_en: 'A', kind: 'department', unit_id: province.id },
				{ slug: 'b', name_vi: 'Cơ quan B', name_en: 'B', kind: 'department', unit_id: province.id }
			])
			.returning('id')
			.execute();
		[agencyA, agencyB] = agencies.map((a) => a.id) as [number, number];
		moderator = await user('mod@x.vn', [{ role: 'moderator', agencyId: null }]);
		officialA = await user('oa@x.vn', [{ role: 'official', agencyId: agencyA }]);
		approverA = await user('aa@x.vn', [{ role: 'approver', agencyId: agencyA }]);
		officialB = await user('ob@x.vn', [{ role: 'official', agencyId: agencyB }]);
		approverB = await user('ab@x.vn', [{ role: 'approver', agencyId: agencyB }]);
		bothA = await user('both@x.vn', [
			{ role: 'official', agencyId: agencyA },
			{ role: 'approver', agencyId: agencyA }
		]);
	});
	afterAll(async () => t?.close());

	it('takes a question from the citizen to a published, rated answer', async () => {
		const asked = await askQuestion(t.db, question({ agencyId: agencyA }));
		expect(asked.code).toMatch(/^HD-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		const pending = await askerQuestion(t.db, asked.token);
		expect(pending?.status).toBe('pending');
		expect(pending?.due_on).not.toBeNull();
		// nothing is public before a moderator accepts it
		expect(await publicQuestion(t.db, asked.code)).toBeUndefined();
		expect((await caseQueue(t.db, 'moderation', [])).map((c) => c.code)).toContain(asked.code);

		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agencyA],
			topic: 'dat-dai',
			publicTitle: 'Hỏi về thủ tục đất đai',
			publicBody: 'Xin hỏi thủ tục đất đai (đã che tên) để cấp Giấy chứng nhận lần đầu.'
		});
		const shown = await publicQuestion(t.db, asked.code);
		expect(shown?.body).toContain('đã che tên');
		expect(shown?.replies).toEqual([]);

		// another agency's official may neither draft nor see the case
		await expect(saveDraft(t.db, officialB, asked.id, 'Trả lời thử')).rejects.toMatchObject({
			code: 'forbidden'
		});
		await expect(staffCase(t.db, officialB, asked.id)).rejects.toMatchObject({
			code: 'forbidden',
			status: 403
		});
		await expect(staffCase(t.db, officialB, 2_000_000_000)).rejects.toSatisfy(
			(e) => e instanceof DomainError && e.code === 'not_found' && e.status === 404
		);
		await saveDraft(t.db, officialA, asked.id, 'Bản nháp đầu');
		await saveDraft(t.db, officialA, asked.id, 'Hồ sơ gồm **đơn đăng ký**.', [], true);
		// an official without the approver grant cannot publish
		await expect(approveReply(t.db, officialA, asked.id)).rejects.toMatchObject({
			code: 'forbidden'
		});
		await addNote(t.db, officialA, asked.id, 'Đã kiểm tra hồ sơ địa chính');
		await approveReply(t.db, approverA, asked.id);

		const published = await publicQuestion(t.db, asked.code);
		expect(published?.status).toBe('answered');
		expect(published?.replies).toHaveLength(1);
		expect(published?.replies[0]?.bodyMd).toContain('đơn đăng ký');
		expect(published?.replies[0]?.onTime).toBe(true);

		await rateAnswer(t.db, asked.token, 'satisfied', 'Rõ ràng');
		await expect(rateAnswer(t.db, asked.token, 'satisfied', null)).rejects.toMatchObject({
			code: 'state'
		});

		// the asker's timeline has no internal step; the staff's has the note and drafts
		const publicSteps = (await timeline(t.db, asked.id, false)).map((e) => e.kind);
		expect(publicSteps).toEqual(['received', 'accepted', 'routed', 'published', 'rated']);
		const staffSteps = (await timeline(t.db, asked.id, true)).map((e) => e.kind);
		expect(staffSteps).toEqual(
			expect.arrayContaining(['redacted', 'draft_saved', 'submitted', 'note'])
		);
		const audited = await t.db
			.selectFrom('audit_log')
			.select('action')
			.where('entity_type', '=', 'question')
			.where('entity_id', '=', String(asked.id))
			.execute();
		expect(audited.map((a) => a.action)).toContain('question.published');
	});

	it('never publishes the asker’s name or contact', async () => {
		const asked = await answered({ title: 'Câu hỏi có liên hệ riêng tư' });
		const pub = JSON.stringify([
			await publicQuestion(t.db, asked.code),
			await listQuestions(t.db, everything),
			await recentAnswers(t.db),
			await timeline(t.db, asked.id, false)
		]);
		expect(pub).toContain('Câu hỏi có liên hệ riêng tư');
		expect(pub).not.toContain('nguoi.hoi@example.vn');
		expect(pub).not.toContain('0912345678');
		expect(pub).not.toContain('Nguyễn Văn Hỏi');
		const staff = await staffCase(t.db, approverA, asked.id);
		expect(staff.contact?.email).toBe('nguoi.hoi@example.vn');
	});

	it('keeps no contact without consent, and deletes contacts after their retention', async () => {
		const refused = await askQuestion(t.db, question({ consent: false, name: null }));
		const none = await t.db
			.selectFrom('question_contact')
			.selectAll()
			.where('question_id', '=', refused.id)
			.executeTakeFirst();
		expect(none).toBeUndefined();
		const kept = await askQuestion(t.db, question());
		expect(await purgeExpiredContacts(t.db, new Date())).toBe(0);
		expect(
			await purgeExpiredContacts(t.db, new Date(Date.now() + 400 * 86_400_000))
		).toBeGreaterThan(0);
		const left = await t.db
			.selectFrom('question_contact')
			.select('question_id')
			.where('question_id', '=', kept.id)
			.executeTakeFirst();
		expect(left).toBeUndefined();
	});

	it('finds “thủ tục đất đai” when searched without accents, and suggests it as similar', async () => {
		const asked = await answered();
		const found = await listQuestions(t.db, { ...everything, q: 'thu tuc dat dai' });
		expect(found.rows.map((r) => r.code)).toContain(asked.code);
		const none = await listQuestions(t.db, { ...everything, q: 'thu tuc ho chieu' });
		expect(none.rows.map((r) => r.code)).not.toContain(asked.code);
		const similar = await similarAnswers(t.db, 'Xin hoi ve thu tuc dat dai');
		expect(similar.map((s) => s.code)).toContain(asked.code);
	});

	it('pauses the clock while waiting for the citizen, and resumes it', async () => {
		// "the same day" must not depend on when the test runs: the clock reads today's noon in
		// Vietnam (and runs on from there), never a minute before midnight
		const noon = new Date(`${vietnamDate(new Date())}T12:00:00+07:00`);
		vi.useFakeTimers({ toFake: ['Date'], now: noon, shouldAdvanceTime: true });
		onTestFinished(() => void vi.useRealTimers());
		const asked = await askQuestion(t.db, question());
		const before = await askerQuestion(t.db, asked.token);
		await requestInfo(t.db, moderator, asked.id, 'Xin cho biết số thửa đất.');
		const paused = await askerQuestion(t.db, asked.token);
		expect(paused?.status).toBe('needs_info');
		expect(paused?.due_on).toBeNull();
		expect(paused?.paused_since).toBe(vietnamDate(new Date()));
		await provideInfo(t.db, asked.token, 'Thửa số 123, tờ bản đồ số 4.');
		const resumed = await askerQuestion(t.db, asked.token);
		expect(resumed?.status).toBe('pending');
		expect(resumed?.body).toContain('Thửa số 123');
		// paused and resumed the same day: no working day was lost
		expect(resumed?.due_on).toBe(before?.due_on);
	});

	it('rejects with a reason the asker sees, and merges duplicates', async () => {
		const spam = await askQuestion(t.db, question());
		await rejectQuestion(
			t.db,
			moderator,
			spam.id,
			'Nội dung là khiếu nại, xin gửi theo thủ tục khiếu nại.'
		);
		const rejected = await askerQuestion(t.db, spam.token);
		expect(rejected?.status).toBe('rejected');
		expect(rejected?.rejection_reason).toContain('khiếu nại');
		await expect(
			acceptQuestion(t.db, moderator, spam.id, {
				agencyIds: [agencyA],
				topic: 'dat-dai',
				publicTitle: 'x',
				publicBody: 'y'
			})
		).rejects.toMatchObject({ code: 'state' });

		const original = await answered();
		const duplicate = await askQuestion(t.db, question());
		await expect(
			mergeQuestion(t.db, moderator, duplicate.id, 'HD-0000-0000')
		).rejects.toMatchObject({
			code: 'merge_target'
		});
		await mergeQuestion(t.db, moderator, duplicate.id, original.code.toLowerCase());
		const merged = await askerQuestion(t.db, duplicate.token);
		expect(merged?.status).toBe('merged');
		expect(merged?.mergedInto?.code).toBe(original.code);
		// an agency or topic that does not exist is refused, not a database error
		const stray = await askQuestion(t.db, question());
		for (const bad of [
			{ agencyIds: [999_999], topic: 'dat-dai' },
			{ agencyIds: [agencyA], topic: 'khong-co' }
		]) {
			await expect(
				acceptQuestion(t.db, moderator, stray.id, { ...bad, publicTitle: 't', publicBody: 'b' })
			).rejects.toMatchObject({ code: 'bad_choice' });
		}
		// officials cannot moderate
		const other = await askQuestion(t.db, question());
		await expect(rejectQuestion(t.db, officialA, other.id, 'Không')).rejects.toMatchObject({
			code: 'forbidden'
		});
	});

	it('never lets an approver publish their own draft', async () => {
		const asked = await routedToA();
		await saveDraft(t.db, bothA, asked.id, 'Tự soạn, tự duyệt?', [], true);
		await expect(approveReply(t.db, bothA, asked.id)).rejects.toMatchObject({
			code: 'own_draft',
			status: 409
		});
		await approveReply(t.db, approverA, asked.id);
		expect((await askerQuestion(t.db, asked.token))?.status).toBe('answered');
	});

	it('never lets an approver publish a reply they wrote or attached a file to, whoever saved it last', async () => {
		const accepted = async () => {
			const asked = await askQuestion(t.db, question());
			await acceptQuestion(t.db, moderator, asked.id, {
				agencyIds: [agencyA],
				topic: 'dat-dai',
				publicTitle: 't',
				publicBody: 'b'
			});
			return asked;
		};
		// the approver writes it; a colleague re-saves it unchanged and submits it
		const written = await accepted();
		await saveDraft(t.db, bothA, written.id, 'Tôi soạn, đồng nghiệp trình.');
		await saveDraft(t.db, officialA, written.id, 'Tôi soạn, đồng nghiệp trình.', [], true);
		await expect(approveReply(t.db, bothA, written.id)).rejects.toMatchObject({
			code: 'own_draft'
		});
		const view = await staffCase(t.db, bothA, written.id);
		expect(view.replies.find((r) => r.status === 'submitted')?.byViewer).toBe(true);
		expect(
			(await staffCase(t.db, approverA, written.id)).replies.find((r) => r.status === 'submitted')
				?.byViewer
		).toBe(false);
		await approveReply(t.db, approverA, written.id);

		// the approver only attached a file; the colleague wrote and submitted the text
		const attached = await accepted();
		await saveDraft(t.db, bothA, attached.id, 'Bản nháp có tệp.', [
			{ sha256: 'c'.repeat(64), name: 'phu-luc.pdf', size: 10, mime: 'application/pdf' }
		]);
		await saveDraft(t.db, officialA, attached.id, 'Nội dung do đồng nghiệp viết lại.', [], true);
		await expect(approveReply(t.db, bothA, attached.id)).rejects.toMatchObject({
			code: 'own_draft'
		});

		// returned and changed by someone else, it still counts everyone who ever wrote it
		await returnReply(t.db, approverA, attached.id, 'Bổ sung căn cứ');
		await saveDraft(t.db, officialA, attached.id, 'Nội dung đã bổ sung căn cứ.', [], true);
		await expect(approveReply(t.db, bothA, attached.id)).rejects.toMatchObject({
			code: 'own_draft'
		});
		await approveReply(t.db, approverA, attached.id);
		expect((await askerQuestion(t.db, attached.token))?.status).toBe('answered');
	});

	it('refuses, in the database too, a reply published by one of its contributors', async () => {
		const asked = await routedToA();
		await saveDraft(t.db, bothA, asked.id, 'Soạn bởi người duyệt.');
		await saveDraft(t.db, officialA, asked.id, 'Soạn bởi người duyệt.', [], true);
		await expect(
			t.db
				.updateTable('question_reply')
				.set({ status: 'published', approved_by: bothA.id, published_at: new Date() })
				.where('question_id', '=', asked.id)
				.execute()
		).rejects.toThrow(/contributors/);
	});

	it('shows the asker only their own files and those of published replies', async () => {
		const asked = await askQuestion(t.db, question());
		await t.db
			.insertInto('stored_file')
			.values({ sha256: 'd'.repeat(64), size: 7, mime: 'application/pdf' })
			.execute();
		await t.db
			.insertInto('question_file')
			.values({
				question_id: asked.id,
				reply_id: null,
				sha256: 'd'.repeat(64),
				name: 'cua-toi.pdf'
			})
			.execute();
		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agencyA],
			topic: 'dat-dai',
			publicTitle: 't',
			publicBody: 'b'
		});
		const draftFile = {
			sha256: 'e'.repeat(64),
			name: 'du-thao-noi-bo.pdf',
			size: 9,
			mime: 'application/pdf'
		};
		await saveDraft(t.db, officialA, asked.id, 'Bản nháp có tệp nội bộ.', [draftFile], true);
		const names = async (scope: FileScope) =>
			(await filesOf(t.db, asked.id, scope)).map((f) => f.name);
		expect(await names('asker')).toEqual(['cua-toi.pdf']);
		expect(await names('public')).toEqual([]);
		expect(await names({ draftsOf: agencyA })).toEqual(['cua-toi.pdf', 'du-thao-noi-bo.pdf']);
		await approveReply(t.db, approverA, asked.id);
		expect(await names('asker')).toEqual(['cua-toi.pdf', 'du-thao-noi-bo.pdf']);
		expect(await names('public')).toEqual(['du-thao-noi-bo.pdf']);
	});

	const agencyName = async (id: number) => {
		const a = await t.db
			.selectFrom('agency')
			.select(['name_vi as vi', 'name_en as en'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		return { vi: a.vi, en: a.en };
	};

	it('transfers with the clock kept, and routes to several agencies in turn', async () => {
		const asked = await routedToA();
		const due = (await askerQuestion(t.db, asked.token))?.due_on;
		const transferred = await transferQuestion(
			t.db,
			officialA,
			asked.id,
			agencyB,
			'Thuộc thẩm quyền cơ quan B'
		);
		const moved = await askerQuestion(t.db, asked.token);
		// what the official's confirmation says: the agency by name, the due date unchanged
		expect(transferred.dueOn).toBe(String(due).slice(0, 10));
		expect(transferred.agencies).toEqual([await agencyName(agencyB)]);
		expect(moved?.agency_id).toBe(agencyB);
		expect(moved?.due_on).toBe(due);
		await expect(saveDraft(t.db, officialA, asked.id, 'Muộn rồi')).rejects.toMatchObject({
			code: 'forbidden'
		});
		await saveDraft(t.db, officialB, asked.id, 'Cơ quan B trả lời', [], true);
		await approveReply(t.db, approverB, asked.id);

		const both = await askQuestion(t.db, question());
		const routed = await acceptQuestion(t.db, moderator, both.id, {
			agencyIds: [agencyA, agencyB],
			topic: 'dat-dai',
			publicTitle: 't',
			publicBody: 'b'
		});
		expect(routed.agencies).toEqual([await agencyName(agencyA), await agencyName(agencyB)]);
		expect(routed.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		await saveDraft(t.db, officialA, both.id, 'Phần của A', [], true);
		const first = await approveReply(t.db, approverA, both.id);
		expect(first.code).toBe(both.code);
		expect(first.next?.agencies).toEqual([await agencyName(agencyB)]);
		expect(first.next?.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const turn = await askerQuestion(t.db, both.token);
		expect(turn?.status).toBe('assigned');
		expect(turn?.agency_id).toBe(agencyB);
		await saveDraft(t.db, officialB, both.id, 'Phần của B', [], true);
		expect(await approveReply(t.db, approverB, both.id)).toEqual({ code: both.code, next: null });
		const done = await publicQuestion(t.db, both.code);
		expect(done?.status).toBe('answered');
		expect(done?.replies.map((r) => r.bodyMd)).toEqual(['Phần của A', 'Phần của B']);
	});

	it('reopens once when the answer missed the question, counted as not satisfied', async () => {
		const asked = await answered();
		await reopenQuestion(t.db, asked.token, 'Chưa nói nộp ở đâu');
		const reopened = await askerQuestion(t.db, asked.token);
		expect(reopened?.status).toBe('assigned');
		expect(reopened?.rating).toBe('unsatisfied');
		await saveDraft(t.db, officialA, asked.id, 'Nộp tại bộ phận một cửa.', [], true);
		await approveReply(t.db, approverA, asked.id);
		await expect(reopenQuestion(t.db, asked.token, 'Lần nữa')).rejects.toMatchObject({
			code: 'state'
		});
		await rateAnswer(t.db, asked.token, 'satisfied', null);
		expect((await askerQuestion(t.db, asked.token))?.rating).toBe('satisfied');
	});

	it('counts per agency the way Decision 766 does', async () => {
		const stats = await questionStats(t.db);
		const a = stats.find((s) => s.agencyId === agencyA)!;
		const b = stats.find((s) => s.agencyId === agencyB)!;
		expect(a.answered).toBeGreaterThan(3);
		expect(a.answeredOnTime).toBeGreaterThan(3);
		expect(a.onTimeRatio).toBe(1);
		expect(a.rated).toBeGreaterThan(0);
		expect(a.satisfied).toBeGreaterThan(0);
		expect(a.medianDays).toBe(0);
		// B received the transferred question and its turn of the shared one
		expect(b.received).toBe(2);
		expect(b.answered).toBe(2);
		// open and not yet due: not judged
		const open = await askQuestion(t.db, question());
		await acceptQuestion(t.db, moderator, open.id, {
			agencyIds: [agencyB],
			topic: 'dat-dai',
			publicTitle: 't',
			publicBody: 'b'
		});
		const after = (await questionStats(t.db)).find((s) => s.agencyId === agencyB)!;
		expect(after.received).toBe(3);
		expect(after.onTimeRatio).toBe(1);
		// ten days later it is overdue and counts against B
		const later = (await questionStats(t.db, new Date(Date.now() + 20 * 86_400_000))).find(
			(s) => s.agencyId === agencyB
		)!;
		expect(later.overdue).toBe(1);
		expect(later.onTimeRatio).toBeCloseTo(2 / 3);
	});

	it("shows the staff a draft's files only where they may read the draft", async () => {
		const asked = await routedToA();
		const draftFile = {
			sha256: 'f'.repeat(64),
			name: 'noi-bo-a.pdf',
			size: 9,
			mime: 'application/pdf'
		};
		await saveDraft(t.db, officialA, asked.id, 'Bản nháp của cơ quan A.', [draftFile], false);
		const caseFiles = async (staff: typeof moderator) =>
			(await staffCase(t.db, staff, asked.id)).files.map((f) => f.name);
		expect(await caseFiles(officialA)).toEqual(['noi-bo-a.pdf']);
		expect(await caseFiles(approverA)).toEqual(['noi-bo-a.pdf']);
		// the moderator sees the case but not agency A's draft: neither its text nor its files
		expect((await staffCase(t.db, moderator, asked.id)).replies).toEqual([]);
		expect(await caseFiles(moderator)).toEqual([]);
		const [file] = await filesOf(t.db, asked.id, { draftsOf: agencyA });
		expect(await readQuestionFile(t.db, asked.id, file!.id, { draftsOf: null })).toBeNull();
		expect(await readQuestionFile(t.db, asked.id, file!.id, { draftsOf: agencyB })).toBeNull();
		// handed to agency B, whose staff do not read agency A's draft
		await transferQuestion(t.db, officialA, asked.id, agencyB, 'Thuộc thẩm quyền cơ quan B');
		expect(await caseFiles(officialB)).toEqual([]);
	});

	it('publishes a reply only as the approver was shown it', async () => {
		const asked = await routedToA();
		await saveDraft(t.db, officialA, asked.id, 'Trả lời như đã trình duyệt.', [], true);
		const shown = async () =>
			(await staffCase(t.db, approverA, asked.id)).replies.find((r) => r.status === 'submitted')!
				.fingerprint!;
		const reviewed = await shown();
		expect(reviewed).toMatch(/^[0-9a-f]{64}$/);
		// changed and sent again while the approver was reading
		await saveDraft(t.db, officialA, asked.id, 'Trả lời đã sửa sau khi trình.', [], true);
		await expect(
			approveReply(t.db, approverA, asked.id, new Date(), reviewed)
		).rejects.toMatchObject({ code: 'changed' });
		// a form without the fingerprint is refused as changed; a stranger still gets forbidden
		await expect(approveReply(t.db, approverA, asked.id, new Date(), '')).rejects.toMatchObject({
			code: 'changed'
		});
		await expect(approveReply(t.db, approverB, asked.id, new Date(), '')).rejects.toMatchObject({
			code: 'forbidden'
		});
		// a file added changes it too
		const file = { sha256: 'a'.repeat(64), name: 'phu-luc.pdf', size: 9, mime: 'application/pdf' };
		const beforeFile = await shown();
		await saveDraft(t.db, officialA, asked.id, 'Trả lời đã sửa sau khi trình.', [file], true);
		expect(await shown()).not.toBe(beforeFile);
		await approveReply(t.db, approverA, asked.id, new Date(), await shown());
		const published = await t.db
			.selectFrom('question_reply')
			.select('body_md')
			.where('question_id', '=', asked.id)
			.where('status', '=', 'published')
			.execute();
		expect(published).toEqual([{ body_md: 'Trả lời đã sửa sau khi trình.' }]);
	});
});
