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
import { sheetName, xlsxBuffer } from '$lib/server/exports/xlsx';
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
			format: (r) => (r.range === 1 ? { type: 'percent', digits: 1 } : { type: 'number', digits: 2 }),
			value: (r) => r.v
		};
		expect(cellOf(mixed, { range: 1, v: 0.5 })).toMatchObject({ value: 0.5, numFmt: '0.0%', csv: 50 });
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

	it('name a sheet as Excel allows', () => {
		expect(sheetName('Kết quả: đợt 2026/Q3 [thử]')).toBe('Kết quả  đợt 2026 Q3  thử');
		expect(sheetName('x'.repeat(40))).toHaveLength(31);
		expect(sheetName(' / ')).toBe('Sheet1');
	});
});
