import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSynonyms, saveSynonyms, synonymGroups } from '$lib/server/admin/synonyms';
import { DomainError } from '$lib/server/forms/refusal';
import { askQuestion } from '$lib/server/questions/ask';
import { acceptQuestion, approveReply, saveDraft, type Staff } from '$lib/server/questions/cases';
import { listQuestions, similarAnswers, type ListFilter } from '$lib/server/questions/public';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

const everything: ListFilter = {
	q: '',
	topic: null,
	unitId: null,
	agencyId: null,
	state: null,
	sort: 'relevance',
	page: 1
};

describe.each(backends)('public search on %s', (backend) => {
	let t: TestDb;
	let unit: number;
	let agency: number;
	let moderator: Staff;
	let official: Staff;
	let approver: Staff;
	let admin: string;
	const code: Record<string, string> = {};

	/** A question taken to a published answer, as citizens and officials do it. */
	async function answered(key: string, title: string, body: string, reply: string) {
		const asked = await askQuestion(t.db, {
			topic: 'dat-dai',
			unitId: unit,
			agencyId: agency,
			title,
			body,
			name: null,
			email: null,
			phone: null,
			consent: false,
			files: []
		});
		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agency],
			topic: 'dat-dai',
			publicTitle: title,
			publicBody: body
		});
		await saveDraft(t.db, official, asked.id, reply, [], true);
		await approveReply(t.db, approver, asked.id);
		code[key] = asked.code;
	}

	const found = async (q: string, sort: ListFilter['sort'] = 'relevance') =>
		(await listQuestions(t.db, { ...everything, q, sort })).rows.map((r) => r.code);

	beforeAll(async () => {
		t = await migratedDb(backend);
		const place = await provinceWithCommune(t.db);
		unit = place.commune;
		({ id: agency } = await t.db
			.insertInto('agency')
			.values({
				slug: 'ubnd',
				name_vi: 'UBND xã',
				name_en: 'Commune',
				kind: 'commune_committee',
				unit_id: unit
			})
			.returning('id')
			.executeTakeFirstOrThrow());
		moderator = await staffMember(t.db, 'mod@x.vn', [{ role: 'moderator', agencyId: null }]);
		official = await staffMember(t.db, 'o@x.vn', [{ role: 'official', agencyId: agency }]);
		approver = await staffMember(t.db, 'a@x.vn', [{ role: 'approver', agencyId: agency }]);
		admin = (await staffMember(t.db, 'admin@x.vn', [{ role: 'admin', agencyId: null }])).id;
		// the demo's question: it never says "sổ đỏ", nor "thời gian"
		await answered(
			'land',
			'Thủ tục đất đai khi cấp Giấy chứng nhận quyền sử dụng đất lần đầu',
			'Gia đình tôi sử dụng đất ổn định từ năm 1998, chưa có giấy tờ về quyền sử dụng đất. Xin hỏi thủ tục đất đai để được cấp Giấy chứng nhận lần đầu cần những giấy tờ gì và nộp ở đâu?',
			'Hồ sơ gồm **Đơn đăng ký đất đai** (Mẫu 04/ĐK).'
		);
		// holds "cấp" and "thời gian" but is about something else
		await answered(
			'exam',
			'Thời gian thi tuyển công chức cấp xã năm 2026',
			'Xin hỏi năm 2026 tỉnh có tổ chức thi tuyển công chức cấp xã không?',
			'Sở Nội vụ sẽ đăng thông báo tuyển dụng trên Cổng thông tin điện tử của tỉnh.'
		);
		// says "sổ đỏ" once, in passing
		await answered(
			'loan',
			'Vay vốn ngân hàng chính sách để sửa nhà',
			'Tôi muốn vay vốn sửa nhà, ngân hàng có cần thế chấp sổ đỏ không?',
			'Vay dưới 100 triệu đồng không cần tài sản bảo đảm.'
		);
		// holds every word of the query, the best match
		await answered(
			'time',
			'Thời gian cấp sổ đỏ lần đầu là bao lâu?',
			'Tôi nộp hồ sơ cấp sổ đỏ lần đầu đã lâu; thời gian giải quyết theo quy định là bao nhiêu ngày?',
			'Không quá 20 ngày làm việc kể từ ngày nhận đủ hồ sơ (Nghị định 101/2024/NĐ-CP).'
		);
	});
	afterAll(async () => t?.close());

	it('finds the land-certificate question when asked for "thoi gian cap so do", best match first', async () => {
		const codes = await found('thoi gian cap so do');
		expect(codes[0]).toBe(code.time);
		expect(codes).toContain(code.land);
		// "thời gian … cấp" without the land certificate is another matter
		expect(codes).not.toContain(code.exam);
		expect(codes).not.toContain(code.loan);
	});

	it('ranks by how much of the query a text holds, and keeps newest first without a keyword', async () => {
		expect(await found('so do vay von')).toEqual([code.loan]);
		// the loan question says "sổ đỏ" but not "lần đầu"; the two others hold all of it
		const codes = await found('sổ đỏ lần đầu');
		expect(codes.sort()).toEqual([code.land, code.time].sort());
		// the official term finds the question that says "sổ đỏ", which holds more of the query
		const ranked = await found('thời gian cấp giấy chứng nhận quyền sử dụng đất lần đầu');
		expect(ranked).toEqual([code.time, code.land]);
		const recent = await found('', 'relevance');
		expect(recent).toEqual([code.time, code.loan, code.exam, code.land]);
	});

	it('needs more than half of a longer query: "thu tuc ho chieu" is not any "thủ tục"', async () => {
		expect(await found('thu tuc ho chieu')).toEqual([]);
		expect(await found('THỦ TỤC ĐẤT ĐAI')).toEqual([code.land]);
	});

	it('suggests similar answers on the ask form with the same ranking', async () => {
		const similar = await similarAnswers(
			t.db,
			'Thời gian cấp sổ đỏ Xin hỏi cấp giấy chứng nhận quyền sử dụng đất mất bao lâu?'
		);
		expect(
			similar
				.map((s) => s.code)
				.slice(0, 2)
				.sort()
		).toEqual([code.land, code.time].sort());
		expect(similar.map((s) => s.code)).not.toContain(code.exam);
		expect(await similarAnswers(t.db, 'Đăng ký kết hôn với người nước ngoài')).toEqual([]);
	});

	it('lets an admin add, edit and delete a group, each audited, and the search follows', async () => {
		expect(await found('bien so xe')).toEqual([]);
		const id = await saveSynonyms(t.db, { id: null, terms: ['biển số xe', 'thế chấp'] }, admin);
		expect(await found('bien so xe')).toEqual([code.loan]);
		await saveSynonyms(t.db, { id, terms: ['biển số xe', 'thi tuyển'] }, admin);
		expect(await found('bien so xe')).toEqual([code.exam]);
		expect(await deleteSynonyms(t.db, id, admin)).toEqual(['biển số xe', 'thi tuyển']);
		expect(await found('bien so xe')).toEqual([]);
		const log = await t.db
			.selectFrom('audit_log')
			.select(['action', 'details'])
			.where('entity_type', '=', 'search_synonym')
			.where('entity_id', '=', String(id))
			.orderBy('id')
			.execute();
		expect(log.map((l) => l.action)).toEqual([
			'search_synonym.add',
			'search_synonym.edit',
			'search_synonym.delete'
		]);
		expect(log[1]!.details).toEqual({
			before: ['biển số xe', 'thế chấp'],
			terms: ['biển số xe', 'thi tuyển']
		});
	});

	it('refuses a term another group holds (accents aside), and a group that is gone', async () => {
		const seeded = await synonymGroups(t.db);
		expect(seeded.some((g) => g.terms.includes('sổ đỏ'))).toBe(true);
		const taken = saveSynonyms(t.db, { id: null, terms: ['So do', 'bìa đỏ'] }, admin);
		await expect(taken).rejects.toBeInstanceOf(DomainError);
		await expect(taken).rejects.toMatchObject({ code: 'synonym_term_taken', status: 409 });
		await expect(deleteSynonyms(t.db, 999_999, admin)).rejects.toMatchObject({
			code: 'synonym_missing',
			status: 404
		});
		await expect(
			saveSynonyms(t.db, { id: 999_999, terms: ['abc', 'def'] }, admin)
		).rejects.toMatchObject({ code: 'synonym_missing' });
		expect(await synonymGroups(t.db)).toHaveLength(seeded.length);
	});
});
