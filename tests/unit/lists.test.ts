import { describe, expect, it } from 'vitest';
import {
	codeParam,
	dateParam,
	filtersActive,
	flagParam,
	idParam,
	MAX_PAGE,
	oneOf,
	pageCount,
	pageOf,
	parseList,
	searchParam,
	sortParam
} from '$lib/lists';

const shape = {
	q: searchParam,
	unit: idParam,
	topic: codeParam,
	from: dateParam,
	overdue: flagParam,
	state: oneOf(['open', 'closed'] as const),
	sort: sortParam(['oldest', 'newest'] as const)
};
const parse = (query: string) => parseList(shape, new URLSearchParams(query));

describe('list parameters from the address', () => {
	it('reads good values', () => {
		expect(
			parse(
				'q=+s%E1%BB%95+%C4%91%E1%BB%8F+&unit=12&topic=dat-dai&from=2026-12-01&overdue=1&state=open&sort=newest&page=3'
			)
		).toEqual({
			q: 'sổ đỏ',
			unit: 12,
			topic: 'dat-dai',
			from: '2026-12-01',
			overdue: true,
			state: 'open',
			sort: 'newest',
			page: 3
		});
	});

	it('falls back to the defaults on anything malformed, never throwing', () => {
		expect(
			parse(
				`q=${'x'.repeat(201)}&unit=-1&topic=%3Cscript%3E&from=2026-13-45&state=x&sort=zzz&page=abc`
			)
		).toEqual({
			q: '',
			unit: undefined,
			topic: undefined,
			from: undefined,
			overdue: false,
			state: undefined,
			sort: 'oldest',
			page: 1
		});
		expect(parse('unit=1e99&page=0').unit).toBeUndefined();
		expect(parse('page=0').page).toBe(1);
		expect(parse('page=99999999').page).toBe(MAX_PAGE);
		// empty values are absent; a repeated one takes the first
		expect(parse('unit=&overdue=').overdue).toBe(false);
		expect(parse('unit=4&unit=5').unit).toBe(4);
	});

	it('counts and cuts pages', () => {
		expect(pageCount(0)).toBe(1);
		expect(pageCount(25)).toBe(1);
		expect(pageCount(26)).toBe(2);
		const rows = Array.from({ length: 7 }, (_, i) => i);
		expect(pageOf(rows, 2, 3)).toEqual({ rows: [3, 4, 5], total: 7, page: 2, pages: 3 });
		// past the end: the last page
		expect(pageOf(rows, 9, 3)).toEqual({ rows: [6], total: 7, page: 3, pages: 3 });
	});

	it('opens the filters only when one besides search, sort and page is set', () => {
		expect(filtersActive({ q: 'x', sort: 'newest', page: 2, unit: null, overdue: false })).toBe(
			false
		);
		expect(filtersActive({ unit: 3 })).toBe(true);
		expect(filtersActive({ overdue: true })).toBe(true);
		expect(filtersActive({ state: 'late', page: 1 }, ['page', 'state'])).toBe(false);
	});
});
