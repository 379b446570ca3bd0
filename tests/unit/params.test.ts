import { describe, expect, it } from 'vitest';
import { asId, MAX_ID } from '$lib/server/http/params';

describe('asId', () => {
	it('accepts a positive whole number up to the largest serial id', () => {
		expect(asId('1')).toBe(1);
		expect(asId(String(MAX_ID))).toBe(MAX_ID);
	});

	it('refuses what the database would fail on or read as another id', () => {
		const refused = [
			null,
			undefined,
			'',
			'0',
			'-1',
			'+1',
			'01',
			'1.0',
			'1e3',
			'0x10',
			' 1',
			'1 ',
			'Infinity',
			'NaN',
			String(MAX_ID + 1),
			'99999999999999999999',
			'..%2fetc%2fpasswd',
			'1%00'
		];
		expect(refused.filter((value) => asId(value) !== null)).toEqual([]);
	});
});
