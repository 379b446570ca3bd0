import { describe, expect, it } from 'vitest';
import type { HiddenReason } from '$lib/analytics/cells';
import { csvDocument } from '$lib/analytics/csv';
import type { Estimate } from '$lib/analytics/estimates';
import { resultOrder } from '$lib/analytics/order';
import { resultsCsvRows } from '$lib/analytics/results-csv';
import { measuresOf } from '$lib/analytics/scoring';
import { instrumentSpec } from '$lib/surveys/spec';
import papiJson from '../../seeds/instruments/papi.json';
import sipasJson from '../../seeds/instruments/sipas.json';

const papi = instrumentSpec.parse(papiJson);
const sipas = instrumentSpec.parse(sipasJson);

const est = (estimate: number, se: number, n: number, extra: Partial<Estimate> = {}): Estimate => ({
	n,
	nEffective: n,
	estimate,
	se,
	low: estimate - 1.96 * se,
	high: estimate + 1.96 * se,
	method: 'linearized',
	tooWide: false,
	...extra
});

/** The measures of a wave page as `waveResults` returns them, with made-up estimates. */
function results(spec: typeof papi, value: (range: number, i: number) => Estimate | undefined) {
	return {
		k: 10,
		measures: resultOrder(spec, measuresOf(spec)).map((r, i) => ({
			...r,
			result: value(r.measure.range, i),
			suppressed: false,
			reason: null as HiddenReason | null
		})),
		breakdowns: []
	};
}
const labels = { group: 'Cả đợt', row: (_: unknown, fallback: string) => fallback };

describe('results CSV', () => {
	it('has one row per measure in the page’s order, with its number, SE and n', () => {
		const r = results(papi, (range) => est(range * 0.654321, range * 0.0123456, 400));
		const [header, ...rows] = resultsCsvRows(r, labels);
		expect(header).toEqual([
			'Bảng',
			'Nhóm',
			'TT',
			'Chỉ số',
			'Thang đo',
			'Giá trị',
			'Cận dưới khoảng tin cậy 95%',
			'Cận trên khoảng tin cậy 95%',
			'Sai số chuẩn',
			'Số người trả lời',
			'Ghi chú'
		]);
		expect(rows.map((row) => row[2])).toEqual(r.measures.map((x) => x.number));
		expect(rows.slice(0, 4).map((row) => `${row[2]} ${row[3]}`.trim())).toEqual([
			'Chỉ số tổng hợp',
			'1 Tham gia của người dân ở cấp cơ sở',
			'1.1 Tri thức công dân',
			'1.2 Cơ hội tham gia'
		]);
		// the total: 80 points, value and bounds with the page's two decimals, SE with three
		expect(rows[0]!.slice(4)).toEqual(['điểm (0–80)', 52.35, 50.41, 54.28, 0.988, 400, '']);
		// a dimension of 10 points
		expect(rows[1]!.slice(4)).toEqual(['điểm (0–10)', 6.54, 6.3, 6.79, 0.123, 400, '']);
		// a sub-dimension of a three-part dimension: a third of 10 points
		const third = rows.find((row) => row[2] === '3.1')!;
		expect(third.slice(4, 6)).toEqual(['điểm (0–3,33)', 2.18]);
	});

	it('writes a share in percent as the page shows it, and keeps the interval within the scale', () => {
		const r = results(sipas, (_, i) =>
			i === 1
				? est(0.99876, 0.004321, 120, { method: 'wilson', low: 0.97, high: 1.0001 })
				: est(0.87349, 0.0123, 120)
		);
		const rows = resultsCsvRows(r, labels).slice(1);
		expect(rows[1]!.slice(2)).toEqual([
			'1',
			'Tiếp cận dịch vụ',
			'phần trăm (0–100)',
			99.9,
			97,
			100,
			0.43,
			120,
			''
		]);
		expect(rows[2]!.slice(2, 4)).toEqual(['1.1', r.measures[2]!.measure.title.vi]);
		expect(rows[2]![5]).toBe(87.3);
		expect(rows.at(-1)!.slice(2, 3)).toEqual(['5.4']);
	});

	it('leaves every number of a hidden or empty cell empty and says why', () => {
		const r = results(sipas, () => undefined);
		Object.assign(r.measures[0]!, { suppressed: true, reason: 'small' });
		Object.assign(r.measures[2]!, { suppressed: true, reason: 'incomplete' });
		const rows = resultsCsvRows(r, labels).slice(1);
		expect(rows[0]!.slice(5)).toEqual([
			'',
			'',
			'',
			'',
			'',
			'Ẩn: nhóm dưới 10 người trả lời, hoặc có thể suy ra nhóm như vậy'
		]);
		expect(rows[1]!.slice(5)).toEqual(['', '', '', '', '', 'Chưa có câu trả lời']);
		expect(rows[2]!.slice(5)).toEqual([
			'',
			'',
			'',
			'',
			'',
			'Không đủ dữ liệu: một nội dung thành phần không có câu trả lời'
		]);
		// an interval that cannot be computed is left empty, the value and SE are kept
		const wide = results(sipas, () => est(0.5, 0.1, 12, { low: NaN, high: NaN, tooWide: true }));
		expect(resultsCsvRows(wide, labels)[1]!.slice(5)).toEqual([
			50,
			'',
			'',
			10,
			12,
			'Sai số lớn, chỉ nên tham khảo'
		]);
	});

	it('carries the headline of each group with its number, and neutralises formula-like names', () => {
		const r = results(sipas, () => est(0.9, 0.02, 50));
		const withGroups = {
			...r,
			breakdowns: [
				{
					by: 'band' as const,
					title: { vi: '=Giới tính', en: '=Gender' },
					rows: [
						{
							key: 'f',
							label: { vi: 'Nữ', en: 'Female' },
							filter: { unit: null, band: { question: 'gender', option: 'f' } },
							result: est(0.91, 0.03, 30),
							suppressed: false,
							reason: null
						}
					]
				}
			]
		};
		const rows = resultsCsvRows(withGroups, labels);
		expect(rows.at(-1)).toEqual([
			'=Giới tính',
			'Nữ',
			'',
			'Chỉ số hài lòng về sự phục vụ hành chính (5 yếu tố, phương pháp QĐ 2640/QĐ-BNV)',
			'phần trăm (0–100)',
			91,
			85.1,
			96.9,
			3,
			30,
			''
		]);
		expect(csvDocument(rows)).toContain(
			'\r\n\'=Giới tính,Nữ,,"Chỉ số hài lòng về sự phục vụ hành chính (5 yếu tố, phương pháp QĐ 2640/QĐ-BNV)",'
		);
	});
});
