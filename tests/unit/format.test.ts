import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import {
	around,
	formatDate,
	formatDateTime,
	formatDocumentDate,
	formatPeriod,
	isoDateTime,
	local,
	localLang
} from '$lib/i18n/format';

let locale: 'vi' | 'en' = 'vi';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'vi'));

const inBoth = (f: () => string) => {
	locale = 'vi';
	const vi = f();
	locale = 'en';
	const en = f();
	locale = 'vi';
	return { vi, en };
};

describe('dates in the administrative style, in Vietnam time', () => {
	it('writes a day as dd/mm/yyyy in both languages', () => {
		expect(inBoth(() => formatDate('2026-12-06'))).toEqual({ vi: '06/12/2026', en: '06/12/2026' });
		expect(inBoth(() => formatDate('2026-01-05'))).toEqual({ vi: '05/01/2026', en: '05/01/2026' });
	});

	it('reads a moment in Vietnam: 20:30 UTC is the next morning in Hà Nội', () => {
		const late = new Date('2026-12-05T20:30:00Z');
		expect(inBoth(() => formatDate(late))).toEqual({ vi: '06/12/2026', en: '06/12/2026' });
		expect(inBoth(() => formatDateTime(late))).toEqual({
			vi: '03:30 06/12/2026',
			en: '06/12/2026 03:30'
		});
		expect(formatDateTime('2026-12-06T07:05:00Z')).toBe('14:05 06/12/2026');
	});

	it('gives nothing for nothing and for what is not a date', () => {
		expect(formatDate(null)).toBe('');
		expect(formatDate(undefined)).toBe('');
		expect(formatDate('')).toBe('');
		expect(formatDate('not a date')).toBe('');
		expect(formatDateTime(new Date(Number.NaN))).toBe('');
	});

	it('writes the date of a printed document as Decree 30/2020 does', () => {
		expect(inBoth(() => formatDocumentDate('2026-12-06'))).toEqual({
			vi: 'ngày 06 tháng 12 năm 2026',
			en: '6 December 2026'
		});
		expect(formatDocumentDate('2026-02-01')).toBe('ngày 01 tháng 02 năm 2026');
		expect(formatDocumentDate('2026-03-15')).toBe('ngày 15 tháng 3 năm 2026');
		expect(formatDocumentDate(new Date('2026-06-30T18:00:00Z'))).toBe('ngày 01 tháng 7 năm 2026');
	});

	it('keeps machine dates as ISO: a day stays a day, a moment is UTC', () => {
		expect(isoDateTime('2026-12-06')).toBe('2026-12-06');
		expect(isoDateTime(new Date('2026-12-06T07:05:00Z'))).toBe('2026-12-06T07:05:00.000Z');
	});
});

describe('reporting periods as people say them', () => {
	it('names quarters, halves and years', () => {
		expect(inBoth(() => formatPeriod('2026-Q3'))).toEqual({ vi: 'Quý III/2026', en: 'Q3 2026' });
		expect(inBoth(() => formatPeriod('2026-Q1'))).toEqual({ vi: 'Quý I/2026', en: 'Q1 2026' });
		expect(inBoth(() => formatPeriod('2026-Q4'))).toEqual({ vi: 'Quý IV/2026', en: 'Q4 2026' });
		expect(inBoth(() => formatPeriod('2026-H1'))).toEqual({
			vi: '6 tháng đầu năm 2026',
			en: 'first half of 2026'
		});
		expect(inBoth(() => formatPeriod('2026-H2'))).toEqual({
			vi: '6 tháng cuối năm 2026',
			en: 'second half of 2026'
		});
		expect(inBoth(() => formatPeriod('2026'))).toEqual({ vi: 'Năm 2026', en: '2026' });
	});

	it('shows any other text as it is, and nothing for nothing', () => {
		expect(formatPeriod('2026-Q5')).toBe('2026-Q5');
		expect(formatPeriod('Đợt 1')).toBe('Đợt 1');
		expect(formatPeriod(null)).toBe('');
	});

	it('writes a period in the language a document asks for', () => {
		locale = 'en';
		expect(formatPeriod('2026-Q2', 'vi')).toBe('Quý II/2026');
		locale = 'vi';
		expect(formatPeriod('2026-H2', 'en')).toBe('second half of 2026');
	});
});

describe('names kept in two languages', () => {
	it('uses the English form on English pages when there is one', () => {
		expect(inBoth(() => local('Sở Nội vụ', 'Department of Home Affairs'))).toEqual({
			vi: 'Sở Nội vụ',
			en: 'Department of Home Affairs'
		});
		expect(inBoth(() => local('Xã Vị Xuyên', null))).toEqual({
			vi: 'Xã Vị Xuyên',
			en: 'Xã Vị Xuyên'
		});
	});
});

describe('the language of a shown name', () => {
	it('marks the Vietnamese fallback on English pages only', () => {
		expect(inBoth(() => String(localLang(null)))).toEqual({ vi: 'undefined', en: 'vi' });
		expect(inBoth(() => String(localLang('Tuyen Quang')))).toEqual({
			vi: 'undefined',
			en: 'undefined'
		});
	});
});

describe('a message cut around a value', () => {
	it('gives the text before and after the value, or the whole text when it has none', () => {
		expect(around((p) => `Deployed for: ${p}`)).toEqual(['Deployed for: ', '']);
		expect(around((p) => `Xin chào, ${p}.`)).toEqual(['Xin chào, ', '.']);
		expect(around(() => 'no value')).toEqual(['no value', '']);
	});
});
