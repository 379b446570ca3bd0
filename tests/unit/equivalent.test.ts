import { describe, expect, it } from 'vitest';
import { equivalentMeasure, sameNumber } from '$lib/analytics/equivalent';
import { measuresOf } from '$lib/analytics/scoring';
import { instrumentSpec } from '$lib/surveys/spec';
import sipasJson from '../../seeds/instruments/sipas.json';
import sipas2023Json from '../../seeds/instruments/sipas-2023.json';

const before = measuresOf(instrumentSpec.parse(sipasJson));
const after = measuresOf(instrumentSpec.parse(sipas2023Json));
const of = (measures: typeof before, code: string) => measures.find((m) => m.code === code)!;

describe('the same number across versions of an instrument', () => {
	it('finds the five-element index of the old SIPAS version in the new one’s service sub-index', () => {
		expect(equivalentMeasure(of(after, 'service_index'), before)).toBe(of(before, 'total'));
		expect(equivalentMeasure(of(before, 'total'), after)).toBe(of(after, 'service_index'));
	});

	it('finds an unchanged element under its own code', () => {
		expect(equivalentMeasure(of(after, 'feedback'), before)?.code).toBe('feedback');
	});

	it('finds nothing for a number the old version did not measure', () => {
		expect(equivalentMeasure(of(after, 'total'), before)).toBeUndefined();
		expect(equivalentMeasure(of(after, 'policy_index'), before)).toBeUndefined();
	});

	it('tells apart the same items in other proportions, or on another scale', () => {
		const m = {
			range: 1,
			terms: [
				{ item: 'a', coefficient: 0.5 },
				{ item: 'b', coefficient: 0.5 }
			]
		};
		expect(sameNumber(m, { ...m, terms: [...m.terms].reverse() })).toBe(true);
		expect(
			sameNumber(m, {
				range: 1,
				terms: [
					{ item: 'a', coefficient: 0.25 },
					{ item: 'b', coefficient: 0.75 }
				]
			})
		).toBe(false);
		expect(sameNumber(m, { ...m, range: 10 })).toBe(false);
		expect(sameNumber(m, { range: 1, terms: [{ item: 'a', coefficient: 0.5 }] })).toBe(false);
	});
});
