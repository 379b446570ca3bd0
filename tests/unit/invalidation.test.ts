import { describe, expect, it } from 'vitest';
import { DEAF_MAX_AGE_MS, maxAgeFor, parseChange } from '$lib/server/cache/invalidation';

describe('how old a cached copy may be', () => {
	it('is the cache own limit while changes can be heard, or when no other server exists', () => {
		expect(maxAgeFor(5000, 'listening')).toBe(5000);
		expect(maxAgeFor(5000, 'alone')).toBe(5000);
	});

	it('is at most a second while this server cannot hear the others', () => {
		expect(DEAF_MAX_AGE_MS).toBe(1000);
		expect(maxAgeFor(5000, 'deaf')).toBe(1000);
		expect(maxAgeFor(300, 'deaf')).toBe(300);
	});
});

describe('what a notification says changed', () => {
	it('reads a change another server announced', () => {
		expect(parseChange('{"topic":"waves","id":3}')).toEqual({ topic: 'waves', id: 3 });
		expect(parseChange('{"topic":"disclosures"}')).toEqual({ topic: 'disclosures' });
	});

	it('takes anything else (by hand, from a newer version, garbage) as "everything"', () => {
		for (const payload of ['all', '', undefined, '{"topic":"plans"}', '{"topic":"waves","id":"x"}'])
			expect(parseChange(payload)).toBe('all');
	});
});
