import type { Staff } from '../src/lib/auth/access';
import { parseTable } from '../src/lib/disclosures/table';
import type { Db } from '../src/lib/server/db';
import {
	approveVersion,
	createDisclosure,
	saveVersion
} from '../src/lib/server/disclosures/publish';
import { fileStoreIn } from '../src/lib/server/files/store';

const BUDGET_2026 = `Nội dung;Dự toán năm 2026 (triệu đồng)
Thu ngân sách xã;12.450
Thu bổ sung từ ngân sách cấp trên;9.870
Chi đầu tư phát triển;3.200
Chi thường xuyên;8.650
Dự phòng ngân sách;250
`;

const quarter = (
	q: number,
	spent: number
) => `Nội dung;Dự toán năm (triệu đồng);Thực hiện quý ${q} (triệu đồng)
Chi đầu tư phát triển;3.200;${spent}
Chi thường xuyên;8.650;${spent * 2}
`;

/** A demo file in the active store, written in the seed's transaction when that is the database. */
async function csvFile(trx: Db, name: string, text: string) {
	const bytes = new TextEncoder().encode(text);
	const parsed = parseTable(bytes);
	if ('problem' in parsed) throw new Error(`demo table ${name}: ${parsed.problem.code}`);
	return {
		sha256: await fileStoreIn(trx).put(bytes),
		name,
		size: bytes.byteLength,
		mime: 'text/csv; charset=utf-8',
		tableJson: JSON.stringify(parsed.table)
	};
}

/**
 * Xã Vị Xuyên's 2026 budget estimate and the first two quarters' execution, published through the
 * same steps as a real item (official drafts, approver publishes). Quarter 3 is left missing, so
 * the compliance view shows it overdue.
 */
export async function seedDemoDisclosures(
	trx: Db,
	unitId: (code: string) => number,
	agencyId: (slug: string) => number,
	staff: (email: string) => Staff
): Promise<void> {
	const official = staff('canbo.vixuyen@demo.civicvoice.vn');
	const approver = staff('lanhdao.vixuyen@demo.civicvoice.vn');
	const items = [
		{
			typeCode: 'du-toan-ngan-sach-xa',
			period: '2026',
			title: 'Dự toán ngân sách xã Vị Xuyên năm 2026',
			summary: 'Dự toán thu, chi ngân sách xã năm 2026 đã được Hội đồng nhân dân xã quyết định.',
			effectiveOn: '2026-01-05',
			file: await csvFile(trx, 'du-toan-ngan-sach-2026.csv', BUDGET_2026)
		},
		...[1, 2].map(async (q) => ({
			typeCode: 'thuc-hien-ngan-sach-xa-quy',
			period: `2026-Q${q}`,
			title: `Tình hình thực hiện dự toán ngân sách xã Vị Xuyên quý ${q} năm 2026`,
			summary: `Số liệu thực hiện thu, chi ngân sách xã quý ${q} năm 2026.`,
			effectiveOn: q === 1 ? '2026-04-10' : '2026-07-10',
			file: await csvFile(trx, `thuc-hien-ngan-sach-quy-${q}-2026.csv`, quarter(q, 700 + q * 50))
		}))
	];
	for (const pending of items) {
		const item = await pending;
		const id = await createDisclosure(trx, official, {
			typeCode: item.typeCode,
			unitId: unitId('00913'),
			agencyId: agencyId('ubnd-xa-vi-xuyen'),
			period: item.period,
			title: item.title,
			summary: item.summary,
			bodyMd: 'Căn cứ Thông tư 343/2016/TT-BTC. Số liệu chi tiết ở bảng đính kèm.',
			effectiveOn: item.effectiveOn,
			files: [item.file]
		});
		await saveVersion(
			trx,
			official,
			id,
			{
				title: item.title,
				summary: item.summary,
				bodyMd: 'Căn cứ Thông tư 343/2016/TT-BTC. Số liệu chi tiết ở bảng đính kèm.',
				effectiveOn: item.effectiveOn
			},
			[],
			true
		);
		await approveVersion(trx, approver, id);
	}
}
