import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import { readDossierCsv } from '$lib/dossiers/records';
import { BLANK_NEW_DATE, BLANK_REASON } from '$lib/letters/template';
import { importDossiers } from '$lib/server/dossiers/import';
import { DomainError } from '$lib/server/forms/refusal';
import { letterCoverage } from '$lib/server/letters/coverage';
import { purgeDossierContacts } from '$lib/server/dossiers/contacts';
import { lateWithoutLetter } from '$lib/server/letters/late';
import {
	approveLetter,
	draftLetter,
	letterFor,
	printLetter,
	saveLetter,
	type LetterText
} from '$lib/server/letters/letters';
import type { Message } from '$lib/server/notify/message';
import { useTransport } from '$lib/server/notify/transports';
import { deliverDue } from '$lib/server/notify/worker';
import { backends, migratedDb, type TestDb } from './harness';
import { assignedQuestion, provinceWithCommune, staffMember } from './places';

const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Số lần bổ sung';
const csv = (...rows: string[]) =>
	new TextEncoder().encode(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`);

/** The day the figures are taken: 10 February 2026, 10:00 in Việt Nam. */
const NOW = new Date('2026-02-10T03:00:00Z');
const TODAY = '2026-02-10';
const DAY = 86_400_000;

async function refusal(work: Promise<unknown>): Promise<string> {
	try {
		await work;
	} catch (e) {
		if (e instanceof DomainError) return e.code;
		throw e;
	}
	return 'done';
}

describe.each(backends)('apology letters on %s', (backend) => {
	let t: TestDb;
	let shopA: number;
	let shopB: number;
	let officialA: Staff;
	let approverA: Staff;
	let secondApproverA: Staff;
	let officialB: Staff;
	const ids: Record<string, number> = {};
	const sent: Message[] = [];

	async function load(agencyId: number, userId: string, ...rows: string[]) {
		const read = readDossierCsv(csv(...rows));
		if ('problems' in read) throw new Error(JSON.stringify(read.problems));
		await importDossiers(t.db, { agencyId, source: 'csv', userId, tokenId: null }, read.records);
	}

	const filled = (body: string): LetterText => ({
		addressee: 'Ông Nguyễn Văn A',
		place: 'Vị Xuyên',
		body: body
			.replace(BLANK_REASON, 'hồ sơ phải lấy ý kiến của cơ quan khác')
			.replace(BLANK_NEW_DATE, '20/02/2026'),
		signerTitle: 'CHỦ TỊCH',
		signerName: 'Trần Văn B'
	});

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		const rows = await t.db
			.insertInto('agency')
			.values([
				{
					slug: 'ubnd-vi-xuyen',
					name_vi: 'Ủy ban nhân dân xã Vị Xuyên',
					name_en: 'Vị Xuyên Commune People’s Committee',
					kind: 'commune_committee',
					unit_id: place.commune
				},
				{
					slug: 'so-tu-phap',
					name_vi: 'Sở Tư pháp',
					name_en: 'Department of Justice',
					kind: 'department',
					unit_id: place.province
				}
			])
			.returning('id')
			.execute();
		[shopA, shopB] = rows.map((r) => r.id) as [number, number];
		officialA = await staffMember(t.db, 'canbo@letters.test', [
			{ role: 'official', agencyId: shopA }
		]);
		approverA = await staffMember(t.db, 'lanhdao@letters.test', [
			{ role: 'approver', agencyId: shopA }
		]);
		secondApproverA = await staffMember(t.db, 'phochutich@letters.test', [
			{ role: 'approver', agencyId: shopA }
		]);
		officialB = await staffMember(t.db, 'canbo@so-tu-phap.test', [
			{ role: 'official', agencyId: shopB }
		]);
		await load(
			shopA,
			officialA.id,
			// completed 5 days after its due day (late in January)
			'VX-LATE-1;Đăng ký khai sinh;Hộ tịch;05/01/2026;07/01/2026;12/01/2026;Trực tiếp;0',
			// still open, due 31 January: late since 1 February
			'VX-LATE-2;Đăng ký kết hôn;Hộ tịch;20/01/2026;31/01/2026;;Trực tiếp;0',
			// on time
			'VX-OK-1;Chứng thực bản sao;Chứng thực;05/01/2026;07/01/2026;06/01/2026;Trực tuyến;0',
			// late in January too, left without a letter
			'VX-LATE-3;Đăng ký khai tử;Hộ tịch;05/01/2026;08/01/2026;09/01/2026;Trực tiếp;0'
		);
		await load(
			shopB,
			officialB.id,
			'TP-LATE-1;Cấp phiếu lý lịch tư pháp;Lý lịch tư pháp;05/01/2026;09/01/2026;15/01/2026;Trực tuyến;0'
		);
		const dossiers = await t.db
			.selectFrom('dossier')
			.select(['id', 'procedure', 'agency_id'])
			.execute();
		for (const d of dossiers) ids[d.procedure] = d.id;
		useTransport('email', { send: async (m) => void sent.push(m) });
	});
	afterAll(async () => {
		useTransport('email', undefined);
		await t?.close();
	});

	it('lists the late dossiers of the agency and drafts a letter with their facts, never the code', async () => {
		const late = await lateWithoutLetter(t.db, [shopA], TODAY);
		expect(late.items.map((i) => [i.what, i.daysLate, i.doneOn])).toEqual([
			['Đăng ký khai sinh', 5, '2026-01-12'],
			['Đăng ký khai tử', 1, '2026-01-09'],
			['Đăng ký kết hôn', 10, null]
		]);
		expect(late.total).toBe(3);

		// another agency's official sees none of them and may not draft their letter
		expect((await lateWithoutLetter(t.db, [shopB], TODAY)).items.map((i) => i.what)).toEqual([
			'Cấp phiếu lý lịch tư pháp'
		]);
		expect(
			await refusal(draftLetter(t.db, officialB, { dossierId: ids['Đăng ký khai sinh']! }, NOW))
		).toBe('forbidden');
		expect(
			await refusal(draftLetter(t.db, officialA, { dossierId: ids['Chứng thực bản sao']! }, NOW))
		).toBe('not_late');

		const id = await draftLetter(t.db, officialA, { dossierId: ids['Đăng ký khai sinh']! }, NOW);
		const { letter, blanks } = await letterFor(t.db, officialA, id);
		expect(letter.body).toContain(
			'Ngày 05/01/2026, Ủy ban nhân dân xã Vị Xuyên tiếp nhận hồ sơ của Ông/Bà về thủ tục “Đăng ký khai sinh” (lĩnh vực Hộ tịch), hẹn trả kết quả ngày 07/01/2026.'
		);
		expect(letter.body).toContain(
			'Hồ sơ đã được giải quyết xong ngày 12/01/2026, chậm 5 ngày so với ngày hẹn trả kết quả.'
		);
		// completed: no new date to promise, only the reason to give
		expect(blanks).toEqual([BLANK_REASON]);
		expect(letter.place).toBe('Vị Xuyên');
		expect(JSON.stringify(letter)).not.toContain('VX-LATE-1');
		expect(
			await refusal(draftLetter(t.db, approverA, { dossierId: ids['Đăng ký khai sinh']! }, NOW))
		).toBe('exists');
		await expect(refusal(letterFor(t.db, officialB, id))).resolves.toBe('forbidden');

		const open = await draftLetter(t.db, officialA, { dossierId: ids['Đăng ký kết hôn']! }, NOW);
		const o = await letterFor(t.db, officialA, open);
		expect(o.letter.body).toContain('đã quá hạn 10 ngày');
		expect(o.blanks).toEqual([BLANK_REASON, BLANK_NEW_DATE]);
		expect((await lateWithoutLetter(t.db, [shopA], TODAY)).items.map((i) => i.what)).toEqual([
			'Đăng ký khai tử'
		]);
	});

	it('is approved by another approver of the agency, only once filled in, then printed', async () => {
		// agency B's dossier is not approver A's to write about
		expect(
			await refusal(
				draftLetter(t.db, approverA, { dossierId: ids['Cấp phiếu lý lịch tư pháp']! }, NOW)
			)
		).toBe('forbidden');

		const [letter] = await t.db
			.selectFrom('apology_letter')
			.select(['id', 'body'])
			.where('dossier_id', '=', ids['Đăng ký khai sinh']!)
			.execute();
		const letterId = letter!.id;
		// not printable while a draft
		expect(await refusal(printLetter(t.db, officialA, letterId, NOW))).toBe('not_approved');
		// an official does not approve; an approver does not approve while a blank is left
		expect(await refusal(approveLetter(t.db, officialA, letterId, NOW))).toBe('forbidden');
		expect(await refusal(approveLetter(t.db, approverA, letterId, NOW))).toBe('blanks');
		// whoever fills it in may not approve it: four eyes
		await saveLetter(t.db, approverA, letterId, filled(letter!.body), NOW);
		expect(await refusal(approveLetter(t.db, approverA, letterId, NOW))).toBe('own_letter');
		expect((await letterFor(t.db, approverA, letterId)).mayApprove).toBe(false);
		expect((await letterFor(t.db, secondApproverA, letterId)).mayApprove).toBe(true);
		// the export carried no contact: approving will not send it, the page says to print it
		expect((await letterFor(t.db, secondApproverA, letterId)).sendsOnApproval).toBe(false);
		expect(await approveLetter(t.db, secondApproverA, letterId, NOW)).toBe('approved');
		expect(await refusal(approveLetter(t.db, secondApproverA, letterId, NOW))).toBe('state');
		expect(await refusal(saveLetter(t.db, officialA, letterId, filled(letter!.body), NOW))).toBe(
			'state'
		);

		const printed = await printLetter(t.db, officialA, letterId, NOW);
		expect(printed.body).toContain('Lý do chậm trễ: hồ sơ phải lấy ý kiến của cơ quan khác.');
		expect(printed.addressee).toBe('Ông Nguyễn Văn A');
		await printLetter(t.db, approverA, letterId, new Date(NOW.getTime() + 60_000));
		const after = await letterFor(t.db, officialA, letterId);
		expect(after.letter.printedAt).toEqual(NOW);
		expect(await refusal(printLetter(t.db, officialB, letterId, NOW))).toBe('forbidden');
		const audited = await t.db
			.selectFrom('audit_log')
			.select(['action', 'actor_user_id'])
			.where('entity_type', '=', 'apology_letter')
			.where('entity_id', '=', String(letterId))
			.orderBy('id')
			.execute();
		expect(audited).toEqual([
			{ action: 'letter.draft', actor_user_id: officialA.id },
			{ action: 'letter.save', actor_user_id: approverA.id },
			{ action: 'letter.approve', actor_user_id: secondApproverA.id },
			{ action: 'letter.print', actor_user_id: officialA.id }
		]);
	});

	it('counts the late dossiers of a month with an approved letter, per agency', async () => {
		const january = await letterCoverage(t.db, { month: '2026-01-01', today: TODAY });
		// A: khai sinh (approved letter) and khai tử (none); B: one without a letter
		expect(january.get(shopA)).toEqual({ late: 2, withLetter: 1 });
		expect(january.get(shopB)).toEqual({ late: 1, withLetter: 0 });
		// February: the open marriage dossier, late since 1 February, its letter still a draft
		const february = await letterCoverage(t.db, { month: '2026-02-01', today: TODAY });
		expect(february.get(shopA)).toEqual({ late: 1, withLetter: 0 });
		expect(february.has(shopB)).toBe(false);
	});

	it('sends the approved letter for a late answer to the asker who left a contact', async () => {
		const moderator = await staffMember(t.db, 'kiemduyet@letters.test', [
			{ role: 'moderator', agencyId: null }
		]);
		// its deadline passed unanswered
		const asked = await assignedQuestion(t.db, moderator, {
			unitId: (
				await t.db
					.selectFrom('admin_unit')
					.select('id')
					.where('code', '=', '00913')
					.executeTakeFirstOrThrow()
			).id,
			agencyId: shopA,
			topic: 'dat-dai',
			title: 'Hỏi về cấp Giấy chứng nhận',
			body: 'Xin hỏi hồ sơ cấp Giấy chứng nhận gồm những gì?',
			name: 'Lê Thị Hỏi',
			email: 'le.hoi@example.vn',
			dueOn: '2026-02-02'
		});
		const turn = (await lateWithoutLetter(t.db, [shopA], TODAY)).items.find(
			(i) => i.kind === 'question'
		)!;
		expect(turn.what).toContain(asked.code);
		expect(turn.daysLate).toBe(8);

		const id = await draftLetter(t.db, officialA, { assignmentId: turn.id }, NOW);
		const { letter } = await letterFor(t.db, officialA, id);
		expect(letter.body).toContain(`phản ánh, kiến nghị mã ${asked.code}`);
		await saveLetter(t.db, officialA, id, filled(letter.body), NOW);
		expect(await approveLetter(t.db, approverA, id, NOW)).toBe('sent');
		sent.length = 0;
		await deliverDue(t.db);
		const mail = sent.find((m) => m.kind === 'question_apology_letter')!;
		expect(mail.to.email).toBe('le.hoi@example.vn');
		expect(mail.subject).toBe(`${asked.code}: thư xin lỗi của Ủy ban nhân dân xã Vị Xuyên`);
		expect(mail.text).toContain('THƯ XIN LỖI');
		expect(mail.text).toContain('Lý do chậm trễ: hồ sơ phải lấy ý kiến của cơ quan khác.');
		expect(mail.text).toContain('Kính gửi: Ông Nguyễn Văn A');
		expect((await letterFor(t.db, officialA, id)).letter.sentAt).toEqual(NOW);
	});
	it('sends an approved dossier letter to the contact the one-stop system exported, and keeps that contact only so long', async () => {
		const withContact = (row: string) =>
			readDossierCsv(new TextEncoder().encode(`${HEADER};Thư điện tử;Số điện thoại\r\n${row}\r\n`));
		// a contact that is not one is refused with its line, like any other cell
		expect(
			withContact('VX-X;Đăng ký khai sinh;Hộ tịch;05/01/2026;;;Trực tiếp;0;khong-phai-thu;so 12')
		).toEqual({
			problems: [
				{ line: 2, code: 'email_invalid', value: 'khong-phai-thu' },
				{ line: 2, code: 'phone_invalid', value: 'so 12' }
			]
		});
		const marriage = 'VX-LATE-2;Đăng ký kết hôn;Hộ tịch;20/01/2026;31/01/2026;;Trực tiếp;0';
		const read = withContact(`${marriage};nguoi.nop@example.vn;0912 345 678`);
		if (!('records' in read)) throw new Error(JSON.stringify(read));
		const by = { agencyId: shopA, source: 'csv' as const, userId: officialA.id, tokenId: null };
		await importDossiers(t.db, by, read.records);
		const contact = () =>
			t.db
				.selectFrom('dossier_contact')
				.select(['email', 'phone', 'purge_after'])
				.where('dossier_id', '=', ids['Đăng ký kết hôn']!)
				.executeTakeFirst();
		// kept a year from the import
		const imported = Date.now();
		const kept = await contact();
		expect(kept).toMatchObject({ email: 'nguoi.nop@example.vn', phone: '0912 345 678' });
		expect(kept!.purge_after.getTime() - imported).toBeGreaterThan(364.9 * DAY);
		expect(kept!.purge_after.getTime() - imported).toBeLessThanOrEqual(365 * DAY);

		const [letter] = await t.db
			.selectFrom('apology_letter')
			.select(['id', 'body'])
			.where('dossier_id', '=', ids['Đăng ký kết hôn']!)
			.execute();
		await saveLetter(t.db, officialA, letter!.id, filled(letter!.body), NOW);
		expect((await letterFor(t.db, approverA, letter!.id)).sendsOnApproval).toBe(true);
		expect(await approveLetter(t.db, approverA, letter!.id, NOW)).toBe('sent');
		sent.length = 0;
		await deliverDue(t.db);
		const mail = sent.find((m) => m.kind === 'dossier_apology_letter')!;
		expect(mail.to).toEqual({ email: 'nguoi.nop@example.vn', phone: '0912 345 678', name: null });
		expect(mail.subject).toBe(
			'Thư xin lỗi của Ủy ban nhân dân xã Vị Xuyên về hồ sơ “Đăng ký kết hôn”'
		);
		expect(mail.text).toContain('(tiếp nhận ngày 20 tháng 01 năm 2026)');
		expect(mail.text).toContain(
			'THƯ XIN LỖI\nVề việc chậm trả kết quả giải quyết hồ sơ thủ tục hành chính'
		);
		expect(mail.text).toContain('hẹn trả kết quả cho Ông/Bà vào ngày 20/02/2026');
		// a one-off letter, not a subscription: no stop link
		expect(mail.unsubscribe).toBeUndefined();
		expect((await letterFor(t.db, officialA, letter!.id)).letter.sentAt).toEqual(NOW);

		// the next export without the contact removes it; one with it again is kept until its time
		await load(shopA, officialA.id, marriage);
		expect(await contact()).toBeUndefined();
		await importDossiers(t.db, by, read.records);
		expect(await purgeDossierContacts(t.db, new Date(Date.now() + 364 * DAY))).toBe(0);
		expect(await purgeDossierContacts(t.db, new Date(Date.now() + 366 * DAY))).toBe(1);
		expect(await contact()).toBeUndefined();
	});
});
