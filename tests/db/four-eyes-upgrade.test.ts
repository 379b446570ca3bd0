import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '$lib/auth/access';
import { askQuestion } from '$lib/server/questions/ask';
import { acceptQuestion, approveReply, saveDraft } from '$lib/server/questions/cases';
import {
	approveVersion,
	createDisclosure,
	saveVersion,
	startCorrection,
	type NewDisclosure
} from '$lib/server/disclosures/publish';
import * as contributors from '../../migrations/2026-12-06-012-contributors';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

/**
 * Drafts written before contributors were kept: the upgrade finds their writers in the case
 * timeline and the audit log, so an approver who wrote one still cannot publish it.
 */
describe.each(backends)('four eyes across the upgrade on %s', (backend) => {
	let t: TestDb;
	let commune: number;
	let agency: number;
	let moderator: Staff;
	let official: Staff;
	let approver: Staff;
	let both: Staff;

	const budget = (): NewDisclosure => ({
		typeCode: 'thuc-hien-ngan-sach-xa-quy',
		unitId: commune,
		agencyId: agency,
		period: '2026-Q2',
		title: 'Thực hiện ngân sách xã quý 2 năm 2026',
		summary: 'Số liệu thu, chi ngân sách quý 2.',
		bodyMd: 'Số liệu quý 2.',
		effectiveOn: '2026-07-10',
		files: []
	});

	beforeAll(async () => {
		t = await migratedDb(backend);
		commune = (await provinceWithCommune(t.db)).commune;
		agency = (
			await t.db
				.insertInto('agency')
				.values({
					slug: 'a',
					name_vi: 'UBND xã',
					name_en: 'A',
					kind: 'commune_committee',
					unit_id: commune
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
		moderator = await staffMember(t.db, 'm@x.vn', [{ role: 'moderator', agencyId: null }]);
		official = await staffMember(t.db, 'o@x.vn', [{ role: 'official', agencyId: agency }]);
		approver = await staffMember(t.db, 'a@x.vn', [{ role: 'approver', agencyId: agency }]);
		both = await staffMember(t.db, 'b@x.vn', [
			{ role: 'official', agencyId: agency },
			{ role: 'approver', agencyId: agency }
		]);
	});
	afterAll(async () => t?.close());

	it('finds who wrote the open drafts in the timeline and the audit log', async () => {
		const asked = await askQuestion(t.db, {
			topic: 'dat-dai',
			unitId: commune,
			agencyId: null,
			title: 'Hỏi về thủ tục đất đai',
			body: 'Xin hỏi thủ tục đất đai để cấp Giấy chứng nhận lần đầu gồm những gì?',
			name: null,
			email: null,
			phone: null,
			consent: false,
			files: []
		});
		await acceptQuestion(t.db, moderator, asked.id, {
			agencyIds: [agency],
			topic: 'dat-dai',
			publicTitle: 't',
			publicBody: 'b'
		});
		await saveDraft(t.db, both, asked.id, 'Người duyệt soạn trước khi nâng cấp.');
		await saveDraft(t.db, official, asked.id, 'Người duyệt soạn trước khi nâng cấp.', [], true);

		const written = await createDisclosure(t.db, both, budget());
		await saveVersion(t.db, official, written, budget(), [], true);
		const corrected = await createDisclosure(t.db, both, { ...budget(), period: '2026-Q3' });
		await saveVersion(t.db, official, corrected, { ...budget() }, [], true);
		await approveVersion(t.db, approver, corrected);
		await startCorrection(t.db, official, corrected, 'Sửa số liệu');
		await saveVersion(t.db, official, corrected, budget(), [], true);

		// the state of a database from before the migration, then the migration itself
		await contributors.down(t.db);
		await contributors.up(t.db);

		await expect(approveReply(t.db, both, asked.id)).rejects.toMatchObject({ code: 'own_draft' });
		await expect(approveVersion(t.db, both, written)).rejects.toMatchObject({
			code: 'own_draft'
		});
		await expect(approveVersion(t.db, both, corrected)).rejects.toMatchObject({
			code: 'own_draft'
		});
		await approveReply(t.db, approver, asked.id);
		await approveVersion(t.db, approver, written);
		await approveVersion(t.db, approver, corrected);
	});
});
