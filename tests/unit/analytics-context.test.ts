import { describe, expect, it } from 'vitest';
import { storedValue } from '$lib/server/analytics/reference';
import { changeBetween } from '$lib/server/analytics/trends';
import { microdataScope } from '$lib/server/analytics/permissions';
import type { Estimate } from '$lib/analytics/estimates';

const estimate = (value: number, se: number): Estimate => ({
	n: 400,
	nEffective: 400,
	estimate: value,
	se,
	low: value - 1.96 * se,
	high: value + 1.96 * se,
	method: 'linearized',
	tooWide: false
});

describe('trend changes', () => {
	it('call a change significant only beyond 1.96 standard errors of the difference', () => {
		// SE of the difference: √(0.3² + 0.4²) = 0.5, so the threshold is 0.98
		expect(changeBetween(estimate(50, 0.3), estimate(51, 0.4))).toEqual({
			value: 1,
			significant: true
		});
		expect(changeBetween(estimate(50, 0.3), estimate(50.97, 0.4)).significant).toBe(false);
		expect(changeBetween(estimate(50, 0.3), estimate(49, 0.4)).significant).toBe(true);
		expect(changeBetween(estimate(50, NaN), estimate(60, 0.4)).significant).toBe(false);
	});
});

describe('published figures', () => {
	it('take a share in percent and a score on its own scale, refusing values off the scale', () => {
		const share = { code: 'total', title: { vi: '', en: '' }, range: 1 };
		const score = { code: 'total', title: { vi: '', en: '' }, range: 80 };
		expect(storedValue(share, 90)).toBeCloseTo(0.9, 12);
		expect(storedValue(share, 101)).toBeNull();
		expect(storedValue(score, 42.15)).toBe(42.15);
		expect(storedValue(score, 81)).toBeNull();
		expect(storedValue(score, -1)).toBeNull();
	});
});

describe('microdata grant', () => {
	it('needs the analyst role as well as the microdata grant', () => {
		const analyst = { role: 'analyst' as const, agencyId: null, unitId: 8 };
		expect(microdataScope([analyst])).toEqual([]);
		expect(microdataScope([{ role: 'microdata', agencyId: null, unitId: 8 }])).toEqual([]);
		expect(microdataScope([analyst, { role: 'microdata', agencyId: null, unitId: 8 }])).toEqual([
			8
		]);
		expect(microdataScope([analyst, { role: 'microdata', agencyId: null, unitId: null }])).toBe(
			'all'
		);
	});
});
