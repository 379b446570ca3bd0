import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { publicUrl } from '$lib/server/notify/links';
import type { Message } from '$lib/server/notify/message';
import { unseal, seal } from '$lib/server/notify/seal';
import { readStopToken, stopMessages, stopToken, stopUrl } from '$lib/server/notify/stop';
import { useTransport } from '$lib/server/notify/transports';
import { deliverDue } from '$lib/server/notify/worker';
import { askQuestion, purgeExpiredContacts, type NewQuestion } from '$lib/server/questions/ask';
import { askerQuestion, provideInfo, reopenQuestion } from '$lib/server/questions/asker';
import {
	acceptQuestion,
	approveReply,
	mergeQuestion,
	rejectQuestion,
	requestInfo,
	saveDraft,
	type Staff
} from '$lib/server/questions/cases';
import { phoneDigits, resendLink } from '$lib/server/questions/lost-link';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

describe('sealed links and stop tokens', () => {
	it('opens what it sealed, and nothing altered', () => {
		const sealed = seal('abc-private-token');
		expect(sealed).not.toContain('abc-private-token');
		expect(unseal(sealed)).toBe('abc-private-token');
		// a fresh nonce each time: the same link never seals the same way twice
		expect(seal('abc-private-token')).not.toBe(sealed);
		const [version, payload] = sealed.split('.') as [string, string];
		const raw = Buffer.from(payload, 'base64url');
		for (const at of [0, 14, raw.length - 1]) {
			const altered = Buffer.from(raw);
			altered[at]! ^= 1;
			expect(unseal(`${version}.${altered.toString('base64url')}`)).toBeNull();
		}
		expect(unseal(`v2.${payload}`)).toBeNull();
		expect(unseal('v1.AAAA')).toBeNull();
		expect(unseal('')).toBeNull();
	});

	it('takes back only the stop tokens it made, for their own question', () => {
		const token = stopToken(42);
		expect(readStopToken(token)).toBe(42);
		expect(readStopToken(token.replace(/^42/, '43'))).toBeNull();
		const mac = token.split('.')[1]!;
		const altered = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
		expect(readStopToken(`42.${altered}`)).toBeNull();
		for (const bad of ['42', '42.', '0.x', '99999999999.' + mac, `42.${mac}x`, '../42'])
			expect(readStopToken(bad)).toBeNull();
		expect(stopUrl(42)).toMatch(/\/questions\/stop\/42\.[A-Za-z0-9_-]{22}$/);
	});

	it('reads a Vietnamese phone number however it is written', () => {
		expect(phoneDigits('+84 912 345 678')).toBe('0912345678');
		expect(phoneDigits('0084-912-345-678')).toBe('0912345678');
		expect(phoneDigits('0912.345.678')).toBe('0912345678');
	});
});

describe.each(backends)("the asker's messages on %s", (backend) => {
	let t: TestDb;
	let unit: number;
	let agency: number;
	let moderator: Staff;
	let official: Staff;
	let approver: Staff;
	const sent: Message[] = [];
	const texted: Message[] = [];

	const question = (over: Partial<NewQuestion> = {}): NewQuestion => ({
		topic: 'dat-dai',
		unitId: unit,
		agencyId: null,
		title: 'Hỏi về thủ tục cấp Giấy chứng nhận',
		body: 'Xin hỏi hồ sơ đề nghị cấp Giấy chứng nhận lần đầu gồm những giấy tờ gì?',
		name: 'Trần Thị Hỏi',
		email: 'Tran.Hoi@Example.vn',
		phone: '0912 345 678',
		consent: true,
		files: [],
		...over
	});

	/** The kinds written for a question, oldest first, with the channels of each. */
	async function written(questionId: number) {
		const rows = await t.db
			.selectFrom('notification as n')
			.leftJoin('notification_delivery as d', 'd.notification_id', 'n.id')
			.select(['n.id', 'n.kind', 'n.user_id', 'n.params', 'd.channel'])
			.where('n.question_id', '=', questionId)
			.orderBy('n.id')
			.orderBy('d.channel')
			.execute();
		return rows;
	}
	const kinds = async (questionId: number) => [
		...new Set((await written(questionId)).map((r) => r.kind))
	];

	async function accept(id: number) {
		await acceptQuestion(t.db, moderator, id, {
			agencyIds: [agency],
			topic: 'dat-dai',
			publicTitle: 'Thủ tục cấp Giấy chứng nhận',
			publicBody: 'Hồ sơ cấp Giấy chứng nhận lần đầu gồm những gì?'
		});
	}
	async function answer(id: number) {
		await saveDraft(t.db, official, id, 'Hồ sơ gồm **đơn đăng ký**.', [], true);
		await approveReply(t.db, approver, id);
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		unit = place.commune;
		const a = await t.db
			.insertInto('agency')
			.values({
				slug: 'stnmt',
				name_vi: 'Sở Nông nghiệp và Môi trường',
				name_en: 'Department of Agriculture and Environment',
				kind: 'department',
				unit_id: place.province
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		agency = a.id;
		moderator = await staffMember(t.db, 'kiem.duyet@tinh.gov.vn', [
			{ role: 'moderator', agencyId: null }
		]);
		official = await staffMember(t.db, 'chuyen.vien@tinh.gov.vn', [
			{ role: 'official', agencyId: agency }
		]);
		approver = await staffMember(t.db, 'lanh.dao@tinh.gov.vn', [
			{ role: 'approver', agencyId: agency }
		]);
		useTransport('email', { send: async (m) => void sent.push(m) });
		useTransport('webhook', { send: async (m) => void texted.push(m) });
	});
	afterEach(async () => {
		// every test leaves nothing due for the next one
		await deliverDue(t.db);
		sent.length = 0;
		texted.length = 0;
	});
	afterAll(async () => {
		useTransport('email', undefined);
		useTransport('webhook', undefined);
		await t?.close();
	});

	it('tells the asker of each step that concerns them, and nothing of the others', async () => {
		const asked = await askQuestion(t.db, question());
		expect(await kinds(asked.id)).toEqual(['question_received']);
		await requestInfo(t.db, moderator, asked.id, 'Xin cho biết thửa đất ở xã nào?');
		await provideInfo(t.db, asked.token, 'Thửa đất ở xã Vị Xuyên.');
		await accept(asked.id);
		await answer(asked.id);
		await reopenQuestion(t.db, asked.token, 'Chưa nói nộp hồ sơ ở đâu');
		expect(await kinds(asked.id)).toEqual([
			'question_received',
			'question_info_requested',
			'question_published',
			'question_reopened'
		]);
		const rows = await written(asked.id);
		// for the asker alone, by every channel they gave; the outbox keeps no address
		expect(rows.every((r) => r.user_id === null)).toBe(true);
		expect(rows.filter((r) => r.kind === 'question_received').map((r) => r.channel)).toEqual([
			'email',
			'webhook'
		]);
		const stored = JSON.stringify(rows);
		for (const secret of ['Tran.Hoi', 'tran.hoi', '0912', 'Trần Thị', asked.token])
			expect(stored).not.toContain(secret);
	});

	it('writes the acknowledgment with the code, the private link and a stop link', async () => {
		const asked = await askQuestion(t.db, question({ name: null }));
		await deliverDue(t.db);
		const ack = sent.find((m) => m.subject.startsWith(asked.code))!;
		expect(ack.kind).toBe('question_received');
		expect(ack.lang).toBe('vi');
		expect(ack.subject).toBe(`${asked.code}: Đã tiếp nhận câu hỏi của Ông/Bà`);
		expect(ack.lines[0]).toBe('Kính gửi Ông/Bà,');
		expect(ack.link?.href).toBe(publicUrl(`/questions/track/${asked.token}`));
		expect(ack.text).toContain(`/questions/track/${asked.token}`);
		expect(ack.unsubscribe).toBe(stopUrl(asked.id));
		expect(ack.text).toContain(stopUrl(asked.id));
		// the SMS carries the same link
		const sms = texted.find((m) => m.subject.startsWith(asked.code))!;
		expect(sms.to).toEqual({ email: 'Tran.Hoi@Example.vn', phone: '0912 345 678', name: null });
		// the link is kept only sealed
		const contact = await t.db
			.selectFrom('question_contact')
			.select(['link_sealed', 'lang'])
			.where('question_id', '=', asked.id)
			.executeTakeFirstOrThrow();
		expect(contact.link_sealed).not.toContain(asked.token);
		expect(unseal(contact.link_sealed!)).toBe(asked.token);
	});

	it('writes in the language the question was asked in, naming no one on the staff', async () => {
		const asked = await askQuestion(t.db, question({ lang: 'en' }));
		await accept(asked.id);
		await answer(asked.id);
		await deliverDue(t.db);
		const mine = sent.filter((m) => m.subject.startsWith(asked.code));
		expect(mine.map((m) => m.subject)).toEqual([
			`${asked.code}: We have received your question`,
			`${asked.code}: Your question has been answered`
		]);
		const answered = mine[1]!;
		expect(answered.lang).toBe('en');
		expect(answered.lines).toContain(
			`Department of Agriculture and Environment has answered your question “Hỏi về thủ tục cấp Giấy chứng nhận” (code ${asked.code}).`
		);
		expect(answered.link?.href).toContain(`/questions/track/${asked.token}`);
		for (const m of mine)
			for (const staff of ['kiem.duyet', 'chuyen.vien', 'lanh.dao', '@tinh.gov.vn'])
				expect(m.text + m.html).not.toContain(staff);
	});

	it('gives the reason of a rejection and where a merged question will be answered', async () => {
		const rejected = await askQuestion(t.db, question());
		await rejectQuestion(t.db, moderator, rejected.id, 'Nội dung không thuộc thẩm quyền của tỉnh.');
		const original = await askQuestion(
			t.db,
			question({ email: null, phone: null, consent: false })
		);
		const duplicate = await askQuestion(t.db, question());
		await mergeQuestion(t.db, moderator, duplicate.id, original.code);
		await deliverDue(t.db);
		const rejection = sent.find((m) => m.kind === 'question_rejected')!;
		expect(rejection.subject).toBe(`${rejected.code}: Câu hỏi không được tiếp nhận`);
		expect(rejection.lines).toContain('Nội dung không thuộc thẩm quyền của tỉnh.');
		const merged = sent.find((m) => m.kind === 'question_merged')!;
		expect(merged.subject).toBe(`${duplicate.code}: Câu hỏi được gộp vào câu hỏi ${original.code}`);
		expect(merged.link?.href).toContain(`/questions/track/${duplicate.token}`);
	});

	it('sends nothing to an asker who gave no contact or no consent', async () => {
		const nameOnly = await askQuestion(t.db, question({ email: null, phone: null }));
		const noConsent = await askQuestion(t.db, question({ consent: false }));
		for (const q of [nameOnly, noConsent]) {
			await rejectQuestion(t.db, moderator, q.id, 'Câu hỏi trùng lặp.');
			expect(await written(q.id)).toEqual([]);
		}
	});

	it('sends nothing more once the asker stopped it, not even what was due', async () => {
		const asked = await askQuestion(t.db, question());
		await stopMessages(t.db, asked.id);
		await requestInfo(t.db, moderator, asked.id, 'Xin cho biết thửa đất ở xã nào?');
		expect(await kinds(asked.id)).toEqual(['question_received']);
		const outcome = await deliverDue(t.db);
		expect(outcome).toMatchObject({ sent: 0, dropped: 2 });
		expect(sent.concat(texted)).toEqual([]);
	});

	it('drops what was due when the contact is deleted at the end of its retention', async () => {
		const asked = await askQuestion(t.db, question({ phone: null }));
		await t.db
			.updateTable('question_contact')
			.set({ purge_after: new Date(Date.now() - 1000) })
			.where('question_id', '=', asked.id)
			.execute();
		expect(await purgeExpiredContacts(t.db)).toBeGreaterThanOrEqual(1);
		expect(await deliverDue(t.db)).toMatchObject({ sent: 0, dropped: 1 });
		expect(sent).toEqual([]);
		await rejectQuestion(t.db, moderator, asked.id, 'Câu hỏi trùng lặp.');
		expect(await kinds(asked.id)).toEqual(['question_received']);
	});

	it('sends a fresh link only to the contact given, and the old one stops working', async () => {
		const asked = await askQuestion(t.db, question());
		const other = await askQuestion(t.db, question({ email: 'khac@example.vn', phone: null }));
		const noConsent = await askQuestion(t.db, question({ consent: false }));
		await deliverDue(t.db);
		sent.length = 0;
		texted.length = 0;

		expect(await resendLink(t.db, asked.code, 'khac@example.vn')).toBe(false);
		expect(await resendLink(t.db, other.code, 'tran.hoi@example.vn')).toBe(false);
		expect(await resendLink(t.db, asked.code, '0912 345 679')).toBe(false);
		expect(await resendLink(t.db, noConsent.code, 'tran.hoi@example.vn')).toBe(false);
		expect(await resendLink(t.db, 'HD-0000-0000', 'tran.hoi@example.vn')).toBe(false);
		expect(await askerQuestion(t.db, asked.token)).toBeDefined();
		expect(await kinds(asked.id)).toEqual(['question_received']);

		expect(await resendLink(t.db, asked.code.toLowerCase(), ' TRAN.HOI@example.VN ')).toBe(true);
		expect(await askerQuestion(t.db, asked.token)).toBeUndefined();
		await deliverDue(t.db);
		expect(sent.map((m) => m.to.email)).toEqual(['Tran.Hoi@Example.vn']);
		const fresh = sent[0]!;
		expect(fresh.kind).toBe('question_link');
		expect(fresh.subject).toBe(`${asked.code}: Đường dẫn mới để theo dõi câu hỏi`);
		const token = fresh.link!.href.split('/questions/track/')[1]!;
		expect(token).not.toBe(asked.token);
		expect((await askerQuestion(t.db, token))?.id).toBe(asked.id);

		// by phone, written another way
		expect(await resendLink(t.db, asked.code, '+84 912 345 678')).toBe(true);
		expect(await askerQuestion(t.db, token)).toBeUndefined();

		// a stopped asker gets nothing, and their link stays as it was
		await stopMessages(t.db, other.id);
		expect(await resendLink(t.db, other.code, 'khac@example.vn')).toBe(false);
		expect(await askerQuestion(t.db, other.token)).toBeDefined();
	});
});
