import type { Staff } from '../src/lib/auth/access';
import type { Recurrence } from '../src/lib/plans/timeline';
import type { Db } from '../src/lib/server/db';
import { addTask, createPlan, setPlanStatus } from '../src/lib/server/plans/plans';
import { submitReport } from '../src/lib/server/plans/reports';

/**
 * The demo's improvement plan: the province's PAPI plan, its tasks taken from the kinds of tasks
 * Tuyên Quang's Kế hoạch 150/KH-UBND (12/8/2024) assigns, each tied to the PAPI chỉ số nội dung it
 * is meant to move. Written by Sở Nội vụ's official and adopted by its leader in January, as a
 * plan is, so the public /plans page and the staff dashboard show a plan with reports due.
 */
const TASKS: {
	measure: string;
	title: string;
	lead: string;
	cooperating: string;
	timeline: string;
	recurrence: Recurrence;
	target: string;
	output: string;
}[] = [
	{
		measure: 'd2_transparency',
		title:
			'Công khai đầy đủ, kịp thời dự toán và quyết toán ngân sách xã, danh sách hộ nghèo tại trụ sở Ủy ban nhân dân cấp xã và trên Cổng thông tin điện tử',
		lead: 'so-tai-chinh',
		cooperating: 'Ủy ban nhân dân các xã, phường',
		timeline: 'Thường xuyên',
		recurrence: 'continuous',
		target: '100% xã, phường công khai đúng hạn',
		output: 'Báo cáo kết quả công khai 6 tháng, năm'
	},
	{
		measure: 'd3_accountability',
		title:
			'Tổ chức đối thoại định kỳ giữa người đứng đầu chính quyền cấp xã với Nhân dân; giải quyết dứt điểm kiến nghị, phản ánh của người dân',
		lead: 'so-noi-vu',
		cooperating: 'Ủy ban nhân dân các xã, phường',
		timeline: 'Hằng năm',
		recurrence: 'yearly',
		target: 'Mỗi xã, phường ít nhất 01 cuộc đối thoại mỗi năm',
		output: 'Biên bản đối thoại; báo cáo kết quả giải quyết kiến nghị'
	},
	{
		measure: 'd5_procedures',
		title:
			'Niêm yết công khai thủ tục hành chính, phí, lệ phí tại Bộ phận Một cửa; giải quyết đúng hạn hồ sơ cấp Giấy chứng nhận quyền sử dụng đất',
		lead: 'so-nong-nghiep-moi-truong',
		cooperating: 'Sở Nội vụ; Ủy ban nhân dân các xã, phường',
		timeline: 'Thường xuyên',
		recurrence: 'continuous',
		target: 'Không có hồ sơ quá hạn',
		output: 'Báo cáo tình hình giải quyết thủ tục hành chính'
	},
	{
		measure: 'd8_egovernance',
		title:
			'Hướng dẫn người dân sử dụng dịch vụ công trực tuyến và phản ánh, kiến nghị qua Cổng thông tin điện tử của tỉnh',
		lead: 'so-noi-vu',
		cooperating: 'Ủy ban nhân dân các xã, phường',
		timeline: 'Thường xuyên',
		recurrence: 'continuous',
		target: 'Tỷ lệ hồ sơ trực tuyến toàn trình tăng so với năm 2025',
		output: 'Báo cáo kết quả 6 tháng, năm'
	}
];

export async function seedDemoPlans(
	trx: Db,
	unitId: (code: string) => number,
	agencyId: (slug: string) => number,
	staff: (email: string) => Staff
): Promise<void> {
	const official = staff('canbo.noivu@demo.civicvoice.vn');
	const approver = staff('lanhdao.noivu@demo.civicvoice.vn');
	const papi = await trx
		.selectFrom('instrument')
		.select('id')
		.where('slug', '=', 'papi')
		.executeTakeFirstOrThrow();
	const plan = await createPlan(trx, official, {
		title:
			'Kế hoạch nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) tỉnh Tuyên Quang năm 2026',
		unit_id: unitId('08'),
		agency_id: agencyId('so-noi-vu'),
		instrument_id: papi.id,
		year_from: 2026,
		year_to: 2026,
		legal_ref: 'Thực hiện Kế hoạch số 150/KH-UBND ngày 12/8/2024 của Ủy ban nhân dân tỉnh',
		report_frequency: 'half_yearly',
		weak_below: 0.5
	});
	const tasks: number[] = [];
	for (const t of TASKS)
		tasks.push(
			await addTask(trx, official, plan, {
				measureCode: t.measure,
				title: t.title,
				leadAgencyId: agencyId(t.lead),
				cooperating: t.cooperating,
				timeline: t.timeline,
				recurrence: t.recurrence,
				dueOn: null,
				target: t.target,
				output: t.output
			})
		);
	await setPlanStatus(trx, approver, plan, 'active', new Date('2026-01-15T02:00:00Z'));
	// Sở Nội vụ reported on its dialogue task for the first half; the others have not yet
	await submitReport(
		trx,
		official,
		tasks[1]!,
		{
			period: '2026-H1',
			percent: 60,
			progress:
				'Đã tổ chức 74/124 cuộc đối thoại cấp xã; 212 kiến nghị đã được trả lời, 15 kiến nghị đang giải quyết.',
			links: '',
			internalNote: '',
			files: []
		},
		new Date('2026-06-12T02:00:00Z')
	);
}
