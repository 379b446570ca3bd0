import { describe, expect, it } from 'vitest';
import { csvDocument, csvField } from '$lib/analytics/csv';

describe('CSV for spreadsheets', () => {
	it('neutralises every text a spreadsheet would run as a formula', () => {
		const evils = ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', '\u0001x'];
		// spaces before the formula: an import that trims them would run it
		for (const evil of [...evils, '  =1+1', ' \u00a0@SUM(A1)', '\n=1'])
			expect(csvField(evil).replace(/^"/, '')).toMatch(/^'/);
		expect(csvField('Xã Vị Xuyên')).toBe('Xã Vị Xuyên');
		expect(csvField(' a = b')).toBe(' a = b');
	});

	it('writes numbers as numbers, quotes what needs quoting, and leaves the empty empty', () => {
		expect(csvField(-0.25)).toBe('-0.25');
		expect(csvField(Number.NaN)).toBe('');
		expect(csvField(null)).toBe('');
		expect(csvField('a, "b"')).toBe('"a, ""b"""');
		expect(csvField('=a,b')).toBe(`"'=a,b"`);
	});

	it('starts with a byte-order mark and ends every line with CRLF', () => {
		expect(
			csvDocument([
				['a', 1],
				['b', null]
			])
		).toBe('\uFEFFa,1\r\nb,\r\n');
	});
});
