import type { Db } from '../src/lib/server/db';
import { askQuestion } from '../src/lib/server/questions/ask';
import { rateAnswer } from '../src/lib/server/questions/asker';
import {
	acceptQuestion,
	approveReply,
	saveDraft,
	type Staff
} from '../src/lib/server/questions/cases';

type DemoQuestion = {
	topic: string;
	unit: string;
	agency: string;
	title: string;
	body: string;
	contact?: { name: string; email: string };
	/** how far the demo takes it */
	stage: 'pending' | 'assigned' | 'submitted' | 'answered';
	reply?: string;
	rating?: 'satisfied' | 'unsatisfied';
};

const QUESTIONS: DemoQuestion[] = [
	{
		topic: 'dat-dai',
		unit: '00913',
		agency: 'ubnd-xa-vi-xuyen',
		title: 'Thủ tục đất đai khi cấp Giấy chứng nhận quyền sử dụng đất lần đầu',
		body: 'Gia đình tôi sử dụng đất ổn định từ năm 1998, chưa có giấy tờ về quyền sử dụng đất. Xin hỏi thủ tục đất đai để được cấp Giấy chứng nhận lần đầu cần những giấy tờ gì và nộp ở đâu?',
		stage: 'answered',
		reply:
			'Hồ sơ gồm **Đơn đăng ký đất đai** (Mẫu 04/ĐK) và giấy tờ chứng minh việc sử dụng đất ổn định (nếu có).\n\n- Nộp tại Bộ phận tiếp nhận và trả kết quả xã Vị Xuyên hoặc trực tuyến trên Cổng Dịch vụ công quốc gia.\n- Căn cứ: [Luật Đất đai 2024](https://vbpl.vn/) và Nghị định 101/2024/NĐ-CP.',
		rating: 'satisfied'
	},
	{
		topic: 'ho-tich',
		unit: '00913',
		agency: 'ubnd-xa-vi-xuyen',
		title: 'Đăng ký khai sinh cho con khi cha mẹ chưa đăng ký kết hôn',
		body: 'Con tôi sinh tháng 9/2026, vợ chồng tôi chưa đăng ký kết hôn. Xin hỏi có đăng ký khai sinh và ghi tên cha cho cháu được không?',
		stage: 'answered',
		reply:
			'Được. Khi đăng ký khai sinh, cha và mẹ cùng đến làm thủ tục nhận cha, con kết hợp đăng ký khai sinh theo Luật Hộ tịch 2014.\n\nThời hạn giải quyết: trong ngày làm việc nếu hồ sơ đầy đủ.'
	},
	{
		topic: 'lao-dong',
		unit: '08',
		agency: 'so-noi-vu',
		title: 'Kế hoạch thi tuyển công chức cấp xã năm 2026',
		body: 'Xin hỏi năm 2026 tỉnh có tổ chức thi tuyển công chức cấp xã không, và thông báo tuyển dụng được đăng ở đâu?',
		stage: 'answered',
		reply:
			'Sở Nội vụ sẽ đăng thông báo tuyển dụng công chức cấp xã năm 2026 trên Cổng thông tin điện tử của tỉnh và niêm yết tại trụ sở Ủy ban nhân dân các xã, phường.',
		rating: 'satisfied'
	},
	{
		topic: 'thu-tuc-hanh-chinh',
		unit: '00913',
		agency: 'ubnd-xa-vi-xuyen',
		title: 'Lịch tiếp công dân của Ủy ban nhân dân xã Vị Xuyên',
		body: 'Xin cho biết lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân xã Vị Xuyên trong tháng 12/2026.',
		stage: 'assigned'
	},
	{
		topic: 'lao-dong',
		unit: '08',
		agency: 'so-noi-vu',
		title: 'Chế độ đối với cán bộ không chuyên trách cấp xã sau sắp xếp',
		body: 'Tôi là người hoạt động không chuyên trách ở xã cũ, sau sắp xếp đơn vị hành chính năm 2025 thì được hưởng chế độ gì?',
		stage: 'submitted',
		reply:
			'Người hoạt động không chuyên trách cấp xã nghỉ việc do sắp xếp được hưởng chính sách theo Nghị định 154/2025/NĐ-CP.'
	},
	{
		topic: 'chinh-sach-xa-hoi',
		unit: '00913',
		agency: 'ubnd-xa-vi-xuyen',
		title: 'Hỗ trợ hộ nghèo sửa chữa nhà ở năm 2026',
		body: 'Nhà tôi thuộc hộ nghèo, nhà bị dột nát sau mưa bão. Xin hỏi xã có chương trình hỗ trợ sửa chữa nhà ở không và cần làm hồ sơ gì?',
		contact: { name: 'Lù Văn Páo', email: 'lu.van.pao@example.vn' },
		stage: 'pending'
	}
];

/** Questions in every state, taken through the same steps a real case goes through. */
export async function seedDemoQuestions(
	trx: Db,
	unitId: (code: string) => number,
	agencyId: (slug: string) => number,
	staff: (email: string) => Staff
): Promise<void> {
	const moderator = staff('kiemduyet@demo.civicvoice.vn');
	const writer = (slug: string) =>
		staff(
			slug === 'so-noi-vu' ? 'canbo.noivu@demo.civicvoice.vn' : 'canbo.vixuyen@demo.civicvoice.vn'
		);
	const approver = (slug: string) =>
		staff(
			slug === 'so-noi-vu'
				? 'lanhdao.noivu@demo.civicvoice.vn'
				: 'lanhdao.vixuyen@demo.civicvoice.vn'
		);
	for (const d of QUESTIONS) {
		const { id, token } = await askQuestion(trx, {
			topic: d.topic,
			unitId: unitId(d.unit),
			agencyId: agencyId(d.agency),
			title: d.title,
			body: d.body,
			name: d.contact?.name ?? null,
			email: d.contact?.email ?? null,
			phone: null,
			consent: !!d.contact,
			files: []
		});
		if (d.stage === 'pending') continue;
		await acceptQuestion(trx, moderator, id, {
			agencyIds: [agencyId(d.agency)],
			topic: d.topic,
			publicTitle: d.title,
			publicBody: d.body
		});
		if (!d.reply) continue;
		await saveDraft(trx, writer(d.agency), id, d.reply, [], true);
		if (d.stage !== 'answered') continue;
		await approveReply(trx, approver(d.agency), id);
		if (d.rating) await rateAnswer(trx, token, d.rating, null);
	}
}
