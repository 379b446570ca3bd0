import { describe, expect, it } from 'vitest';
import {
	TABLE_LIMITS,
	chartable,
	parseTable,
	tableToCsv,
	tableToJson,
	type DataTable,
	type TableProblem
} from '$lib/disclosures/table';

const bytes = (text: string) => new TextEncoder().encode(text);

function table(text: string | Uint8Array): DataTable {
	const result = parseTable(typeof text === 'string' ? bytes(text) : text);
	if ('problem' in result) throw new Error(`unexpected problem ${JSON.stringify(result.problem)}`);
	return result.table;
}

function problem(text: string | Uint8Array): TableProblem {
	const result = parseTable(typeof text === 'string' ? bytes(text) : text);
	if ('table' in result) throw new Error('expected a problem');
	return result.problem;
}

const budget = [
	'Nội dung;Dự toán (đồng);Thực hiện (đồng);Tỷ lệ (%)',
	'Chi sự nghiệp giáo dục;1.234.567;1.000.000;81,0',
	'Chi đầu tư phát triển;850.000;425.000;50',
	'Chi khác;;12.500;'
].join('\r\n');

describe('parseTable', () => {
	it('reads a Vietnamese Excel export: semicolons, dotted thousands, decimal commas', () => {
		const t = table(budget);
		expect(t.columns).toEqual(['Nội dung', 'Dự toán (đồng)', 'Thực hiện (đồng)', 'Tỷ lệ (%)']);
		expect(t.rows).toEqual([
			['Chi sự nghiệp giáo dục', 1234567, 1000000, 81],
			['Chi đầu tư phát triển', 850000, 425000, 50],
			['Chi khác', null, 12500, null]
		]);
		expect(t.numeric).toEqual([false, true, true, true]);
	});

	it('reads plain, Vietnamese and English numbers and leaves everything else as text', () => {
		const t = table(
			[
				'a,b,c,d,e',
				'-12.5,"1.234,5","1,234,567.89",1234,"12,5"',
				'2024-01-01,00123,1234567890123456789,1e5,"1 234"'
			].join('\n')
		);
		expect(t.rows).toEqual([
			[-12.5, 1234.5, 1234567.89, 1234, 12.5],
			['2024-01-01', '00123', '1234567890123456789', '1e5', '1 234']
		]);
		expect(t.numeric).toEqual([false, false, false, false, false]);
	});

	it('settles "1.500" and "1,500" by the other numbers of the column, or leaves them as text', () => {
		const t = table(
			['vi,en,unsure', '"1.500","1,500","1,500"', '"1.234.567","2,345,678.5",x'].join('\n')
		);
		expect(t.rows[0]).toEqual([1500, 1500, '1,500']);
		// A semicolon file is Vietnamese: the comma is its decimal mark.
		expect(table('a;b\n1,500;1.500\n').rows[0]).toEqual([1.5, 1500]);
	});

	it('reads quoted fields with commas, quotes and line breaks', () => {
		const t = table('Xã,Ghi chú\r\n"Vị Xuyên, Hà Giang","dòng 1\r\ndòng ""2"""\r\nThanh Thủy,\r\n');
		expect(t.rows).toEqual([
			['Vị Xuyên, Hà Giang', 'dòng 1\ndòng "2"'],
			['Thanh Thủy', null]
		]);
	});

	it('strips a byte-order mark and trims cells, and reads tab-separated text', () => {
		const t = table(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('Tên, Số\n A ,  7 \n')]));
		expect(t.columns).toEqual(['Tên', 'Số']);
		expect(t.rows).toEqual([['A', 7]]);
		expect(table('x\ty\n1\t2\n').rows).toEqual([[1, 2]]);
	});

	it('rejects what is not UTF-8 text', () => {
		expect(problem(new Uint8Array([0xff, 0xfe, 0x41]))).toEqual({ code: 'encoding' });
		expect(problem(new Uint8Array([0x61, 0x0a, 0xc3, 0x28]))).toEqual({ code: 'encoding' });
		expect(problem('a,b\n1,\u0000\n')).toEqual({ code: 'encoding' });
	});

	it('names the line of a row with the wrong number of cells', () => {
		expect(problem('a,b\n1,2\n3\n')).toEqual({ code: 'ragged', line: 3 });
		expect(problem('a,b\n1,2\n3,4,5\n')).toEqual({ code: 'ragged', line: 3 });
		// Blank lines and line breaks inside quotes count, CRLF as one.
		expect(problem('a,b\r\n\r\n1,"x\r\ny"\r\n2,3\r\n4\r\n')).toEqual({ code: 'ragged', line: 6 });
		expect(problem('a,b\n1,"x\ny",3\n')).toEqual({ code: 'ragged', line: 2 });
	});

	it('requires a header of distinct, non-empty names and at least one row', () => {
		expect(problem('a,a\n1,2\n')).toEqual({ code: 'duplicate_header' });
		expect(problem('a,,c\n1,2,3\n')).toEqual({ code: 'no_header' });
		expect(problem('a,b\n')).toEqual({ code: 'empty' });
		expect(problem('\uFEFF\n  \n')).toEqual({ code: 'empty' });
		expect(problem(new Uint8Array())).toEqual({ code: 'empty' });
	});

	it('enforces the size limits', () => {
		const rows = (n: number) =>
			['a,b', ...Array.from({ length: n }, (_, i) => `r${i},${i}`)].join('\n');
		expect(table(rows(TABLE_LIMITS.maxRows)).rows).toHaveLength(TABLE_LIMITS.maxRows);
		expect(problem(rows(TABLE_LIMITS.maxRows + 1))).toEqual({ code: 'too_many_rows' });
		const wide = Array.from({ length: TABLE_LIMITS.maxColumns + 1 }, (_, j) => `c${j}`);
		expect(problem(`${wide.join(',')}\n${wide.join(',')}\n`)).toEqual({
			code: 'too_many_columns'
		});
		const long = 'x'.repeat(TABLE_LIMITS.maxCell + 1);
		expect(problem(`a,b\n1,2\n3,${long}\n`)).toEqual({ code: 'cell_too_long', line: 3 });
		expect(table(`a\n${'x'.repeat(TABLE_LIMITS.maxCell)}\n`).rows).toHaveLength(1);
	});

	it('reports what csv-parse cannot read', () => {
		expect(problem('a,b\n1,"x"y\n')).toMatchObject({ code: 'parse', line: 2 });
		expect(problem('a,b\n1,"open\n')).toMatchObject({ code: 'parse' });
	});
});

describe('writing a table back', () => {
	const evil = table(
		[
			'Mục,Giá trị',
			'"=HYPERLINK(""http://evil"",""x"")",1',
			'+1+1,2',
			'@SUM(A1),3',
			'-2+3,-12.5'
		].join('\n')
	);

	it('keeps formula-like texts as they are in the table', () => {
		expect(evil.rows.map((r) => r[0])).toEqual([
			'=HYPERLINK("http://evil","x")',
			'+1+1',
			'@SUM(A1)',
			'-2+3'
		]);
		expect(evil.rows[3][1]).toBe(-12.5);
	});

	it('neutralises them in CSV, and writes numbers as numbers', () => {
		expect(tableToCsv(evil)).toBe(
			'\uFEFFMục,Giá trị\r\n' +
				`"'=HYPERLINK(""http://evil"",""x"")",1\r\n` +
				"'+1+1,2\r\n" +
				"'@SUM(A1),3\r\n" +
				"'-2+3,-12.5\r\n"
		);
	});

	it('reads its own CSV back to the same table', () => {
		const t = table(budget);
		expect(table(tableToCsv(t))).toEqual(t);
	});

	it('keys JSON rows by header', () => {
		expect(tableToJson(table(budget)).rows[2]).toEqual({
			'Nội dung': 'Chi khác',
			'Dự toán (đồng)': null,
			'Thực hiện (đồng)': 12500,
			'Tỷ lệ (%)': null
		});
		const json = tableToJson(table('__proto__,b\nx,1\n'));
		expect(json.columns).toEqual(['__proto__', 'b']);
		expect(Object.keys(json.rows[0])).toEqual(['__proto__', 'b']);
		expect(json.rows[0]['__proto__']).toBe('x');
	});
});

describe('chartable', () => {
	it('charts text labels against up to three numeric columns', () => {
		expect(chartable(table(budget))).toEqual({ label: 0, values: [1, 2, 3] });
		expect(chartable(table('a,b,c,d,e\nx,1,y,2,3\nz,4,w,5,6\n'))).toEqual({
			label: 0,
			values: [1, 3, 4]
		});
	});

	it('declines text-only tables, numeric labels and long tables', () => {
		expect(chartable(table('a,b\nx,y\n'))).toBeNull();
		expect(chartable(table('năm,chi\n2023,1\n2024,2\n'))).toBeNull();
		const long = ['a,b', ...Array.from({ length: 51 }, (_, i) => `r${i},${i}`)].join('\n');
		expect(chartable(table(long))).toBeNull();
	});
});

describe('an unquoted formula cell', () => {
	it('is read as text and written back neutralised', () => {
		const parsed = parseTable(
			new TextEncoder().encode('Nội dung;Số tiền\n=HYPERLINK("http://x.example","bấm");1\n')
		);
		expect('table' in parsed && parsed.table.rows[0]).toEqual([
			'=HYPERLINK("http://x.example","bấm")',
			1
		]);
		expect('table' in parsed && tableToCsv(parsed.table)).toContain(`'=HYPERLINK`);
	});
});
