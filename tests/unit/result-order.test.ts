import { describe, expect, it } from 'vitest';
import { resultOrder } from '$lib/analytics/order';
import { measuresOf } from '$lib/analytics/scoring';
import { instrumentSpec } from '$lib/surveys/spec';
import papiJson from '../../seeds/instruments/papi.json';
import sipasJson from '../../seeds/instruments/sipas.json';
import sipas2023Json from '../../seeds/instruments/sipas-2023.json';
import { sipas2023 as small } from './analytics-fixtures';

const papi = instrumentSpec.parse(papiJson);
const sipas = instrumentSpec.parse(sipasJson);
const sipas2023 = instrumentSpec.parse(sipas2023Json);
const rows = (spec: typeof papi) =>
	resultOrder(spec, measuresOf(spec)).map((r) => `${r.number} ${r.measure.code}`.trim());

describe('results in the order of the questionnaire, numbered as the plans number them', () => {
	it('PAPI: the total, then each dimension followed by its own sub-dimensions, 1, 1.1 ... 8.3', () => {
		const order = rows(papi);
		expect(order.slice(0, 7)).toEqual([
			'total',
			'1 d1_participation',
			'1.1 d1_civic_knowledge',
			'1.2 d1_opportunities',
			'1.3 d1_election_quality',
			'1.4 d1_contributions',
			'2 d2_transparency'
		]);
		expect(order).toContain('2.2 d2_poor_households');
		expect(order.slice(-4)).toEqual([
			'8 d8_egovernance',
			'8.1 d8_portal_use',
			'8.2 d8_internet',
			'8.3 d8_portal_response'
		]);
		// 1 total + 8 dimensions + 28 sub-dimensions, no indicator
		expect(order).toHaveLength(37);
		// every sub-dimension sits under its own dimension, in the questionnaire's order
		let dimension = '';
		for (const r of resultOrder(papi, measuresOf(papi))) {
			if (r.measure.level === 'section') dimension = r.measure.code.split('_')[0]!;
			if (r.measure.level === 'part') {
				expect(r.measure.code.startsWith(`${dimension}_`), r.measure.code).toBe(true);
				expect(r.number.startsWith(`${dimension.slice(1)}.`), r.number).toBe(true);
			}
		}
		const questionnaire = papi.sections.flatMap((s) => [s.code, ...s.parts.map((p) => p.code)]);
		const codes = order.slice(1).map((r) => r.split(' ')[1]!);
		expect(codes).toEqual(questionnaire.filter((c) => codes.includes(c)));
	});

	it('SIPAS: the overall index, then each element followed by its criteria; the service block is not counted', () => {
		const order = rows(sipas);
		expect(order.slice(0, 7)).toEqual([
			'total',
			'1 access',
			'1.1 access_information',
			'1.2 access_signage',
			'1.3 access_waiting_area',
			'1.4 access_equipment',
			'2 procedures'
		]);
		expect(order).toContain('3.6 cs_compliance');
		expect(order.slice(-5)).toEqual([
			'5 feedback',
			'5.1 fb_channels',
			'5.2 fb_ease',
			'5.3 fb_handling',
			'5.4 fb_notification'
		]);
		// 1 overall + 5 elements + 22 criteria
		expect(order).toHaveLength(28);
	});

	it('SIPAS 2023–2026: the index, then each sub-index followed by its elements, each by its criteria', () => {
		const order = rows(sipas2023);
		expect(order.slice(0, 9)).toEqual([
			'total',
			'1 policy_index',
			'1.1 policy_information',
			'1.1.1 pol_info_channels',
			'1.1.2 pol_info_clarity',
			'1.2 policy_participation',
			'1.2.1 pol_consultation',
			'1.2.2 pol_response',
			'1.3 policy_implementation'
		]);
		expect(order.slice(9, 15)).toEqual([
			'1.3.1 pol_fit',
			'1.3.2 pol_delivery',
			'1.3.3 pol_results',
			'2 service_index',
			'2.1 access',
			'2.1.1 access_information'
		]);
		expect(order).toContain('2.3.6 cs_compliance');
		expect(order.slice(-5)).toEqual([
			'2.5 feedback',
			'2.5.1 fb_channels',
			'2.5.2 fb_ease',
			'2.5.3 fb_handling',
			'2.5.4 fb_notification'
		]);
		// 1 index + 2 sub-indices + 3 policy elements with 7 criteria + 5 service elements with 22
		expect(order).toHaveLength(1 + 2 + 3 + 7 + 5 + 22);
		// the service part is numbered as the five-element version numbers it, one level down
		const before = rows(sipas).slice(1);
		expect(order.slice(13)).toEqual(before.map((r) => `2.${r}`));
	});

	it('SIPAS 2023–2026: sub-indices come in the method’s order whatever the questionnaire’s', () => {
		const serviceFirst = { ...small, sections: [...small.sections.slice(1), small.sections[0]!] };
		expect(rows(serviceFirst)).toEqual([
			'total',
			'1 policy_index',
			'1.1 pe1',
			'1.1.1 pc1',
			'1.1.2 pc2',
			'2 service_index',
			'2.1 e1',
			'2.1.1 c1',
			'2.1.2 c2',
			'2.2 e2',
			'2.2.1 c3'
		]);
	});
});
