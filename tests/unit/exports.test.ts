import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
	cellOf,
	csvStream,
	csvText,
	DATE,
	INTEGER,
	rounded,
	roundedPercent,
	text,
	type Column
} from '$lib/server/exports/columns';
import { formatHref } from '$lib/exports/format';
import { attachment, exportResponse, formatParam } from '$lib/server/exports/response';
import { sheetName, xlsxBuffer } from '$lib/server/exports/xlsx';
import { formatValue } from '$lib/analytics/format';
import { resultsExport } from '$lib/analytics/results-csv';
import { readSheet, sheetValues } from './exports-workbook';

type Row = { name: string; share: number; score: number; n: number; day: string; raw: number };

const columns: Column<Row>[] = [
	text('Tên', (r) => r.name),
	{ header: 'Tỷ lệ', format: { type: 'percent', digits: 1 }, value: (r) => r.share },
	{ header: 'Điểm', format: { type: 'number', digits: 2 }, value: (r) => r.score },
	{ header: 'Số người', format: INTEGER, value: (r) => r.n },
	{ header: 'Ngày', format: DATE, value: (r) => r.day },
	{ header: 'Số liệu', format: { type: 'number' }, value: (r) => r.raw }
];
const rows: Row[] = [
	{
		name: 'Xã Vị Xuyên',
		share: 0.873456789012345,
		score: 6.543210987654321,
		n: 400,
		day: '2026-12-06',
		raw: 1234.5678
	},
	{ name: '=HYPERLINK("http://x.example")', share: 1, score: 0.005, n: 12, day: '', raw: -5 }
];

describe('export columns', () => {
	it('round as the page does, half-way cases included', () => {
		expect(rounded(6.543210987654321, 2)).toBe(6.54);
		// the page shows "1,01" for 1.005 (toFixed and Math.round would give 1.00)
		expect(rounded(1.005, 2)).toBe(1.01);
		expect(rounded(2.675, 2)).toBe(2.68);
		expect(rounded(0.125, 2)).toBe(0.13);
		expect(rounded(-0.125, 2)).toBe(-0.13);
		expect(rounded(399.6, 0)).toBe(400);
		expect(roundedPercent(0.87349, 1)).toBe(87.3);
		expect(roundedPercent(0.87351, 1)).toBe(87.4);
		expect(roundedPercent(0.0123456, 2)).toBe(1.23);
	});

	it('type each cell: text, rounded numbers with their format, a percentage as a fraction, a day', () => {
		const [name, share, score, n, day, raw] = columns.map((c) => cellOf(c, rows[0]!));
		expect(name).toEqual({ type: 'text', value: 'Xã Vị Xuyên' });
		expect(share).toEqual({ type: 'number', value: 0.873, numFmt: '0.0%', csv: 87.3 });
		expect(score).toEqual({ type: 'number', value: 6.54, numFmt: '#,##0.00', csv: 6.54 });
		expect(n).toEqual({ type: 'number', value: 400, numFmt: '#,##0', csv: 400 });
		expect(day).toEqual({
			type: 'date',
			value: new Date(Date.UTC(2026, 11, 6)),
			csv: '2026-12-06'
		});
		expect(raw).toEqual({ type: 'number', value: 1234.5678, numFmt: null, csv: 1234.5678 });
	});

	it('leave empty values empty, and write what does not fit its format as text', () => {
		const col = (format: Column<unknown>['format'], value: unknown): Column<unknown> => ({
			header: 'x',
			format,
			value: () => value as never
		});
		expect(cellOf(col(INTEGER, null), {})).toBeNull();
		expect(cellOf(col(INTEGER, ''), {})).toBeNull();
		expect(cellOf(col(INTEGER, Number.NaN), {})).toBeNull();
		expect(cellOf(col(INTEGER, Infinity), {})).toBeNull();
		expect(cellOf(col(INTEGER, '00913'), {})).toEqual({ type: 'text', value: '00913' });
		expect(cellOf(col(DATE, '06/12/2026'), {})).toEqual({ type: 'text', value: '06/12/2026' });
		// a code stays text even when it looks like a number
		expect(cellOf(col({ type: 'text' }, 913), {})).toEqual({ type: 'text', value: '913' });
		// a format may depend on the row
		const mixed: Column<{ range: number; v: number }> = {
			header: 'v',
			format: (r) =>
				r.range === 1 ? { type: 'percent', digits: 1 } : { type: 'number', digits: 2 },
			value: (r) => r.v
		};
		expect(cellOf(mixed, { range: 1, v: 0.5 })).toMatchObject({
			value: 0.5,
			numFmt: '0.0%',
			csv: 50
		});
		expect(cellOf(mixed, { range: 80, v: 52.3456 })).toMatchObject({ value: 52.35, csv: 52.35 });
	});

	it('write CSV with rounded numbers, a share in percent and formulas neutralised', () => {
		const csv = csvText({ columns, rows });
		expect(csv.startsWith('\uFEFFTên,Tỷ lệ,Điểm,Số người,Ngày,Số liệu\r\n')).toBe(true);
		const parsed = parse(csv, { bom: true }) as string[][];
		expect(parsed[1]).toEqual(['Xã Vị Xuyên', '87.3', '6.54', '400', '2026-12-06', '1234.5678']);
		expect(parsed[2]).toEqual(['\'=HYPERLINK("http://x.example")', '100', '0.01', '12', '', '-5']);
		// no long binary fractions anywhere
		expect(csv).not.toMatch(/\d\.\d{5,}/);
	});

	it('stream the same CSV page by page', async () => {
		async function* pages() {
			yield rows.slice(0, 1);
			yield rows.slice(1);
		}
		const streamed = await new Response(csvStream(columns, pages())).text();
		// Response.text() drops the byte-order mark, as a UTF-8 reader does
		expect(streamed).toBe(csvText({ columns, rows }).replace(/^\uFEFF/, ''));
	});

	it('write a workbook of typed cells: numbers as numbers, a percentage format, dates, text never a formula', async () => {
		const sheet = readSheet(await xlsxBuffer({ columns, rows }, 'Kết quả'));
		expect(sheetValues(sheet)[0]).toEqual(columns.map((c) => c.header));
		expect(sheet[0]!.every((c) => c.kind === 'string')).toBe(true);
		const [name, share, score, n, day, raw] = sheet[1]!;
		expect(name).toMatchObject({ kind: 'string', value: 'Xã Vị Xuyên' });
		expect(share).toMatchObject({ kind: 'number', value: 0.873, numFmt: '0.0%' });
		expect(score).toMatchObject({ kind: 'number', value: 6.54, numFmt: '#,##0.00' });
		expect(n).toMatchObject({ kind: 'number', value: 400, numFmt: '#,##0' });
		// 6 December 2026 is day 46362 of Excel's calendar
		expect(day).toMatchObject({ kind: 'number', value: 46362, numFmt: 'dd/mm/yyyy' });
		expect(raw).toMatchObject({ kind: 'number', value: 1234.5678, numFmt: null });
		// the formula text is a string cell, stored as written, with no apostrophe and no formula
		expect(sheet[2]![0]).toMatchObject({ kind: 'string', value: '=HYPERLINK("http://x.example")' });
		expect(sheet.flat().some((c) => c.kind === 'formula')).toBe(false);
		// the empty day is no cell at all
		expect(sheet[2]!.map((c) => c.ref)).toEqual(['A3', 'B3', 'C3', 'D3', 'F3']);
	});

	it('give a results value the page’s rounding in both files, half-way cases included', async () => {
		// what the page shows ("87,3 %", "1,01"), read back as a number
		const read = (shown: string) =>
			Number(shown.replaceAll('.', '').replace(',', '.').replace(/\s*%/, ''));
		const values = [0.285, 1.005, 0.0005, 0.00049, 0.12345, 0.8735, 2.675, 79.995, 1, 0];
		for (const range of [1, 10 / 3, 10, 80]) {
			const table = resultsExport(
				{
					k: 10,
					breakdowns: [],
					measures: values.map((estimate, i) => ({
						number: String(i),
						measure: { title: { vi: 'Chỉ số', en: 'Index' }, range },
						result: { n: 400, nEffective: 400, estimate, se: 0.01, low: NaN, high: NaN },
						suppressed: false,
						reason: null
					}))
				} as unknown as Parameters<typeof resultsExport>[0],
				{ group: 'Cả đợt', row: (_, fallback) => fallback }
			);
			const estimate = table.columns[5]!;
			const sheet = readSheet(await xlsxBuffer(table, 'x'));
			values.forEach((value, i) => {
				const page = read(formatValue(value, range));
				const cell = cellOf(estimate, table.rows[i]!);
				expect(cell && 'csv' in cell && cell.csv, `${value} of ${range}`).toBe(page);
				const stored = sheet[i + 1]![5]!;
				expect(stored.kind).toBe('number');
				expect(stored.value).toBe(range === 1 ? Number((page / 100).toFixed(3)) : page);
				expect(stored.numFmt).toBe(range === 1 ? '0.0%' : '#,##0.00');
			});
		}
	});

	it('name a sheet as Excel allows', () => {
		expect(sheetName('Kết quả: đợt 2026/Q3 [thử]')).toBe('Kết quả  đợt 2026 Q3  thử');
		expect(sheetName('x'.repeat(40))).toHaveLength(31);
		expect(sheetName(' / ')).toBe('Sheet1');
	});
	it('answer in the format asked for, with a safe file name, and refuse another format', async () => {
		const url = (q: string) => new URL(`http://x.example/results.csv${q}`);
		expect(formatParam(url(''))).toBe('csv');
		expect(formatParam(url('?unit=3&format=xlsx'))).toBe('xlsx');
		for (const bad of ['?format=xls', '?format=', '?format=XLSX', '?format=json'])
			expect(() => formatParam(url(bad)), bad).toThrow(expect.objectContaining({ status: 400 }));
		expect(formatHref('/analytics/waves/1/results.csv?unit=3', 'xlsx')).toBe(
			'/analytics/waves/1/results.csv?unit=3&format=xlsx'
		);
		expect(formatHref('/plans/1/export.csv?format=xlsx', 'csv')).toBe('/plans/1/export.csv');

		expect(attachment('Dự toán ngân sách xã "Vị Xuyên" 2026', 'xlsx')).toBe(
			'attachment; filename="Du-toan-ngan-sach-xa-Vi-Xuyen-2026.xlsx"; ' +
				`filename*=UTF-8''${encodeURIComponent('Dự toán ngân sách xã Vị Xuyên 2026.xlsx')}`
		);
		// no header injection, no path, no quote: a crafted name stays one harmless token
		const header = attachment('../a"b\r\nSet-Cookie: x=1\'(*)', 'csv');
		expect(header).not.toMatch(/[\r\n]|\.\.\/|filename="[^"]*"[^;]/);
		expect(header).toMatch(
			/^attachment; filename="a-b-Set-Cookie-x-1\.csv"; filename\*=UTF-8''[\w%.-]+$/
		);
		expect(attachment('', 'csv')).toBe(
			`attachment; filename="export.csv"; filename*=UTF-8''export.csv`
		);

		const table = { columns, rows };
		const xlsx = await exportResponse(table, { format: 'xlsx', name: 'kết quả', sheet: 'x' });
		expect(xlsx.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(xlsx.headers.get('cache-control')).toBe('private, no-store');
		expect(readSheet(new Uint8Array(await xlsx.arrayBuffer()))).toHaveLength(3);
		const csv = await exportResponse(table, { format: 'csv', name: 'kết quả', sheet: 'x' });
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="ket-qua\.csv"/);
	});
});
