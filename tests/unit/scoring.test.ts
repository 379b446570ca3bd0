import { describe, expect, it } from 'vitest';
import { estimate, wilson } from '$lib/analytics/estimates';
import { distributions, measuresOf, score, type Scored } from '$lib/analytics/scoring';
import { instrumentSpec } from '$lib/surveys/spec';
import {
	papi,
	papiResponses,
	sipas,
	sipas2023,
	sipas2023Responses,
	sipasResponses
} from './analytics-fixtures';

const by = (scored: Scored[], code: string) => {
	const found = scored.find((s) => s.code === code);
	if (!found?.result) throw new Error(`no estimate for ${code}`);
	return found.result;
};

/** Plain textbook standard error of a mean: s / √n. */
function seOfMean(values: number[]): number {
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	const s2 = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
	return Math.sqrt(s2 / values.length);
}

describe('PAPI-style scores', () => {
	it('rescales indicators, averages sub-dimensions into their share and sums dimensions (hand-computed)', () => {
		const s = score(papi, papiResponses);
		// q1: don't know leaves it unanswered -> (1 + 0 + 1) / 3; q2 reverse-scored -> 3/4
		expect(by(s, 'q1').estimate).toBeCloseTo(2 / 3, 10);
		expect(by(s, 'q1').n).toBe(3);
		expect(by(s, 'q2').estimate).toBeCloseTo(3 / 4, 10);
		// q3 rescaled from 1..5 to 0..1: 1, 0.5, 0, 0.75
		expect(by(s, 'q3').estimate).toBeCloseTo(0.5625, 10);
		expect(by(s, 'p1').estimate).toBeCloseTo((5 * (2 / 3 + 3 / 4)) / 2, 10);
		expect(by(s, 'p2').estimate).toBeCloseTo(5 * 0.5625, 10);
		expect(by(s, 'd1').estimate).toBeCloseTo(85 / 24 + 2.8125, 10);
		expect(by(s, 'd2').estimate).toBeCloseTo(5, 10);
		expect(by(s, 'total').estimate).toBeCloseTo(85 / 24 + 2.8125 + 5, 10);
		expect(measuresOf(papi).find((m) => m.code === 'total')!.range).toBe(20);
	});

	it('applies design weights', () => {
		const weighted = papiResponses.map((r, i) => ({ ...r, weight: i === 0 ? 2 : 1 }));
		const s = score(papi, weighted);
		expect(by(s, 'q1').estimate).toBeCloseTo(3 / 4, 10);
		expect(by(s, 'q2').estimate).toBeCloseTo(4 / 5, 10);
		expect(by(s, 'q3').estimate).toBeCloseTo(3.25 / 5, 10);
		expect(by(s, 'd1').estimate).toBeCloseTo((5 * (0.75 + 0.8)) / 2 + 5 * 0.65, 10);
		expect(by(s, 'q1').nEffective).toBeCloseTo(16 / 6, 10);
	});

	it('gives a mean the textbook standard error, and a composite of complete answers that of its per-person sum', () => {
		const s = score(papi, papiResponses);
		expect(by(s, 'q3').se).toBeCloseTo(seOfMean([1, 0.5, 0, 0.75]), 10);
		expect(by(s, 'p2').se).toBeCloseTo(5 * seOfMean([1, 0.5, 0, 0.75]), 10);
		expect(by(s, 'd2').se).toBeCloseTo(10 * seOfMean([1, 0, 1, 0]), 10);
		// without the don't-know answer every respondent has every item: D is a mean of per-person sums
		const complete = score(papi, [papiResponses[0]!, papiResponses[1]!, papiResponses[3]!]);
		const perPerson = [2.5 * (1 + 1) + 5 * 1, 2.5 * (0 + 0) + 5 * 0.5, 2.5 * (1 + 1) + 5 * 0.75];
		expect(by(complete, 'd1').estimate).toBeCloseTo(21.25 / 3, 10);
		expect(by(complete, 'd1').se).toBeCloseTo(seOfMean(perPerson), 10);
		expect(by(complete, 'd1').low).toBeCloseTo(
			21.25 / 3 - 1.959963984540054 * seOfMean(perPerson),
			10
		);
	});

	it('flags an estimate whose margin is too wide, and gives nothing for no answer', () => {
		const s = score(papi, papiResponses);
		expect(by(s, 'd1').tooWide).toBe(true);
		const many = Array.from({ length: 2000 }, (_, i) => papiResponses[i % 4]!);
		expect(by(score(papi, many), 'd1').tooWide).toBe(false);
		expect(score(papi, []).every((m) => m.result === undefined)).toBe(true);
	});

	it('does not estimate a composite one of whose parts nobody answered, and still its complete siblings', () => {
		// nobody answered q3, p2's only indicator: d1 from p1 alone would read about half
		const withoutQ3 = papiResponses.map((r) => ({
			...r,
			answers: r.answers.filter((a) => a.code !== 'q3')
		}));
		const s = score(papi, withoutQ3);
		const result = (code: string) => s.find((m) => m.code === code)!.result;
		expect(result('p2')).toBeUndefined();
		expect(result('d1')).toBeUndefined();
		expect(result('total')).toBeUndefined();
		expect(by(s, 'p1').estimate).toBeCloseTo((5 * (2 / 3 + 3 / 4)) / 2, 10);
		expect(by(s, 'd2').estimate).toBeCloseTo(5, 10);
	});
});

describe('SIPAS-style indices', () => {
	it('takes the share satisfied per criterion, the mean per element and over elements (hand-computed)', () => {
		const s = score(sipas, sipasResponses);
		expect(by(s, 'c1').estimate).toBeCloseTo(2 / 3, 10);
		expect(by(s, 'c1').method).toBe('wilson');
		expect(by(s, 'c2').estimate).toBeCloseTo(0.5, 10);
		expect(by(s, 'e1').estimate).toBeCloseTo((2 / 3 + 0.5) / 2, 10);
		expect(by(s, 'e2').estimate).toBeCloseTo(0.5, 10);
		expect(by(s, 'total').estimate).toBeCloseTo(((2 / 3 + 0.5) / 2 + 0.5) / 2, 10);
		// the overall-satisfaction question has its share, outside the index
		expect(by(s, 'qo').estimate).toBeCloseTo(2 / 3, 10);
		expect(s.find((m) => m.code === 'overall')).toBeUndefined();
	});

	it('gives every answer its share of the distribution', () => {
		const qa = distributions(sipas, sipasResponses).find((d) => d.question === 'qa')!;
		expect(qa.n).toBe(4);
		expect(Object.fromEntries(qa.options.map((o) => [o.code, o.share]))).toEqual({
			'1': 0,
			'2': 0,
			'3': 0.25,
			'4': 0.25,
			'5': 0.25,
			dk: 0.25
		});
	});
});

describe('SIPAS under the 2023–2026 method (QĐ 1001/QĐ-BNV): two sub-indices', () => {
	const t = (vi: string) => ({ vi, en: vi });
	const scale = (code: string) => ({
		code,
		type: 'scale5' as const,
		text: t(code),
		scored: true,
		options: [1, 2, 3, 4, 5].map((s) => ({ code: String(s), label: t(String(s)), score: s }))
	});
	const sum = (terms: { coefficient: number }[]) => terms.reduce((a, x) => a + x.coefficient, 0);

	it('averages the elements of each sub-index and the two sub-indices (hand-computed)', () => {
		const s = score(sipas2023, sipas2023Responses);
		// policy: qp 2 of 3 satisfied (4, 5; not 2; dk left out), qq 2 of 3 (5, 4; not 1)
		expect(by(s, 'pc1').estimate).toBeCloseTo(2 / 3, 10);
		expect(by(s, 'pc2').estimate).toBeCloseTo(2 / 3, 10);
		expect(by(s, 'pe1').estimate).toBeCloseTo(2 / 3, 10);
		// a sub-index of one element is that element
		expect(by(s, 'policy_index').estimate).toBeCloseTo(2 / 3, 10);
		// service: as the five-element index of the same answers, ((2/3 + 1/2)/2 + 1/2)/2 = 13/24
		expect(by(s, 'service_index').estimate).toBeCloseTo(13 / 24, 10);
		expect(by(s, 'service_index').estimate).toBeCloseTo(
			by(score(sipas, sipasResponses), 'total').estimate,
			12
		);
		// the index: ½ policy + ½ service = (2/3 + 13/24) / 2 = 29/48
		expect(by(s, 'total').estimate).toBeCloseTo(29 / 48, 10);
		expect(by(s, 'total').estimate).toBeCloseTo(
			(by(s, 'policy_index').estimate + by(s, 'service_index').estimate) / 2,
			12
		);
	});

	it('gives Hà Nội 2024: policy 86.51%, service 86.49%, index 86.50%', () => {
		const spec = instrumentSpec.parse({
			slug: 'ha-noi',
			kind: 'sipas',
			title: t('Thử'),
			description: t('Thử'),
			consent: t('Thử'),
			estimatedMinutes: 5,
			scoring: { method: 'sipas', satisfied: ['4', '5'] },
			sections: [
				{
					code: 'pol',
					role: 'policy',
					title: t('Chính sách'),
					parts: [{ code: 'pc', title: t('pc'), questions: [scale('qp')] }]
				},
				{
					code: 'svc',
					role: 'element',
					title: t('Dịch vụ'),
					parts: [{ code: 'sc', title: t('sc'), questions: [scale('qs')] }]
				}
			]
		});
		// weights of 10,000 in all: 8,651 satisfied with policy, 8,649 with the service
		const respondent = (weight: number, qp: string, qs: string) => ({
			weight,
			answers: [
				{ code: 'qp', options: [qp] },
				{ code: 'qs', options: [qs] }
			]
		});
		const s = score(spec, [
			respondent(8649, '5', '5'),
			respondent(2, '5', '1'),
			respondent(1349, '1', '1')
		]);
		expect(by(s, 'policy_index').estimate).toBeCloseTo(0.8651, 12);
		expect(by(s, 'service_index').estimate).toBeCloseTo(0.8649, 12);
		expect(by(s, 'total').estimate).toBeCloseTo(0.865, 12);
	});

	it('gives the sub-index its own terms, linear in the indicator means; the total half of each', () => {
		const measures = measuresOf(sipas2023);
		expect(measures.slice(0, 6).map((m) => `${m.level} ${m.code}`)).toEqual([
			'total total',
			'subindex policy_index',
			'subindex service_index',
			'section pe1',
			'section e1',
			'section e2'
		]);
		const of = (code: string) => measures.find((m) => m.code === code)!;
		for (const code of ['total', 'policy_index', 'service_index']) {
			expect(of(code).range, code).toBe(1);
			expect(of(code).share, code).toBe(false);
			expect(sum(of(code).terms), code).toBeCloseTo(1, 12);
		}
		expect(of('policy_index').terms).toEqual([
			{ item: 'qp', coefficient: 0.5 },
			{ item: 'qq', coefficient: 0.5 }
		]);
		// service: two elements of ½; e1 has two criteria of ½ each
		expect(of('service_index').terms).toEqual([
			{ item: 'qa', coefficient: 0.25 },
			{ item: 'qb', coefficient: 0.25 },
			{ item: 'qc', coefficient: 0.5 }
		]);
		const total = of('total').terms;
		const policyItems = new Set(['qp', 'qq']);
		expect(sum(total.filter((x) => policyItems.has(x.item)))).toBeCloseTo(0.5, 12);
		expect(sum(total.filter((x) => !policyItems.has(x.item)))).toBeCloseTo(0.5, 12);
		expect(total.find((x) => x.item === 'qc')!.coefficient).toBeCloseTo(0.25, 12);
		expect(of('total').title.vi).toBe('Chỉ số SIPAS (phương pháp QĐ 1001/QĐ-BNV)');
		expect(of('policy_index').title.vi).toBe(
			'Chỉ số hài lòng về xây dựng, tổ chức thực hiện chính sách'
		);
		expect(of('service_index').title.en).toBe(
			'Satisfaction with public administrative service delivery'
		);
	});

	it('scores a version without policy sections exactly as before: the mean of its elements, labelled', () => {
		const measures = measuresOf(sipas);
		expect(measures.some((m) => m.level === 'subindex')).toBe(false);
		const total = measures[0]!;
		expect(total.code).toBe('total');
		expect(total.terms).toEqual([
			{ item: 'qa', coefficient: 0.25 },
			{ item: 'qb', coefficient: 0.25 },
			{ item: 'qc', coefficient: 0.5 }
		]);
		expect(total.title).toEqual({
			vi: 'Chỉ số hài lòng về sự phục vụ hành chính (2 yếu tố, phương pháp QĐ 2640/QĐ-BNV)',
			en: 'Satisfaction index of administrative services (2 elements, Decision 2640/QĐ-BNV method)'
		});
	});

	it('gives no index when one sub-index has nothing scored: it is the mean of both', () => {
		const unscored = instrumentSpec.parse({
			...sipas2023,
			sections: sipas2023.sections.map((s) =>
				s.role !== 'policy'
					? s
					: {
							...s,
							parts: s.parts.map((p) => ({
								...p,
								questions: p.questions.map((q) => ({ ...q, scored: false }))
							}))
						}
			)
		});
		const levels = measuresOf(unscored).filter(
			(m) => m.level !== 'indicator' && m.level !== 'part'
		);
		expect(levels.map((m) => m.code)).toEqual(['service_index', 'e1', 'e2']);
	});
});

describe('intervals', () => {
	it('matches published Wilson intervals', () => {
		// 8 of 10 and 2 of 4 (Newcombe 1998; Agresti & Coull 1998 tables)
		const [low, high] = wilson(0.8, 10);
		expect(low).toBeCloseTo(0.4902, 4);
		expect(high).toBeCloseTo(0.9433, 4);
		const [l2, h2] = wilson(0.5, 4);
		expect(l2).toBeCloseTo(0.15, 3);
		expect(h2).toBeCloseTo(0.85, 3);
	});

	it('uses the effective sample size for weighted shares', () => {
		const respondents = [2, 1, 1, 1, 1].map((weight, i) => ({
			weight,
			values: new Map([['x', i < 3 ? 1 : 0]])
		}));
		const e = estimate(respondents, [{ item: 'x', coefficient: 1 }], { range: 1, share: true })!;
		expect(e.estimate).toBeCloseTo(4 / 6, 10);
		expect(e.nEffective).toBeCloseTo(36 / 8, 10);
		const [low, high] = wilson(4 / 6, 36 / 8);
		expect([e.low, e.high]).toEqual([low, high]);
	});
});

describe('the seeded instruments', () => {
	it('define the 80-point PAPI total from 8 dimensions whose sub-dimensions share 10 points', async () => {
		const seeded = instrumentSpec.parse(
			(await import('../../seeds/instruments/papi.json')).default
		);
		const measures = measuresOf(seeded);
		expect(measures.find((m) => m.level === 'total')!.range).toBe(80);
		const dimensions = measures.filter((m) => m.level === 'section');
		expect(dimensions).toHaveLength(8);
		for (const d of dimensions) {
			expect(d.range).toBe(10);
			// a respondent scoring best on every indicator scores the dimension's maximum
			expect(d.terms.reduce((sum, t) => sum + t.coefficient, 0)).toBeCloseTo(10, 10);
		}
	});

	it('define the SIPAS overall index as a mean of the 5 elements', async () => {
		const seeded = instrumentSpec.parse(
			(await import('../../seeds/instruments/sipas.json')).default
		);
		const measures = measuresOf(seeded);
		expect(measures.filter((m) => m.level === 'section').map((m) => m.code)).toEqual([
			'access',
			'procedures',
			'civil_servants',
			'results',
			'feedback'
		]);
		const total = measures.find((m) => m.level === 'total')!;
		expect(total.terms.reduce((sum, t) => sum + t.coefficient, 0)).toBeCloseTo(1, 10);
		expect(measures.some((m) => m.code === 'overall_satisfaction')).toBe(true);
	});
});
