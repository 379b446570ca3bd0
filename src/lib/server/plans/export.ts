import { csvDocument } from '$lib/analytics/csv';
import type { MeasureRef } from '$lib/plans/import';

export const MATRIX_HEADER = [
	'TT',
	'Chỉ số nội dung/Nội dung thành phần',
	'Nhiệm vụ, giải pháp',
	'Cơ quan chủ trì',
	'Cơ quan phối hợp',
	'Thời gian thực hiện',
	'Chỉ tiêu',
	'Sản phẩm',
	'Tình trạng'
];

/** The task matrix back as CSV, in the import's own columns (so an export imports again). */
export function matrixCsv(
	tasks: readonly {
		number: string;
		measure_code: string | null;
		title: string;
		leadVi: string;
		cooperating: string;
		timeline: string;
		target: string;
		output: string;
		status: string;
	}[],
	measures: readonly MeasureRef[]
): string {
	return csvDocument([
		MATRIX_HEADER,
		...tasks.map((t) => {
			const m = measures.find((x) => x.code === t.measure_code);
			return [
				t.number,
				m ? `${m.number}. ${m.title}` : '',
				t.title,
				t.leadVi,
				t.cooperating,
				t.timeline,
				t.target,
				t.output,
				t.status
			];
		})
	]);
}
