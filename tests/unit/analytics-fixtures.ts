import type { CleanAnswer } from '$lib/surveys/answers';
import { instrumentSpec, type InstrumentSpec } from '$lib/surveys/spec';

/** Small PAPI- and SIPAS-style instruments and responses whose scores are worked out by hand. */
const t = (vi: string) => ({ vi, en: vi });
const opt = (code: string, score: number | null, missing?: 'dont_know' | 'refuse') => ({
	code,
	label: t(code),
	score,
	...(missing ? { missing } : {})
});
const scale = (code: string, scored = true) => ({
	code,
	type: 'scale5' as const,
	text: t(code),
	scored,
	options: [1, 2, 3, 4, 5].map((s) => opt(String(s), s)).concat(opt('dk', null, 'dont_know'))
});

function spec(json: Record<string, unknown>): InstrumentSpec {
	return instrumentSpec.parse({
		slug: 'test',
		title: t('Thử'),
		description: t('Thử'),
		consent: t('Thử'),
		estimatedMinutes: 5,
		...json
	});
}

// Two dimensions of 10. d1 has two sub-dimensions: p1 (q1 yes/no/don't know, q2 reverse-scored:
// "yes, I paid" scores 0) and p2 (q3, five points scored 1..5); d2 has one (q4 yes/no).
export const papi = spec({
	kind: 'papi',
	scoring: { method: 'papi', dimensionMax: 10 },
	sections: [
		{
			code: 'd1',
			role: 'dimension',
			title: t('Chiều 1'),
			parts: [
				{
					code: 'p1',
					title: t('Nội dung 1'),
					questions: [
						{
							code: 'q1',
							type: 'yesno',
							text: t('q1'),
							scored: true,
							options: [opt('yes', 1), opt('no', 0), opt('dont_know', null, 'dont_know')]
						},
						{
							code: 'q2',
							type: 'yesno',
							text: t('q2'),
							scored: true,
							options: [opt('yes', 0), opt('no', 1)]
						}
					]
				},
				{
					code: 'p2',
					title: t('Nội dung 2'),
					questions: [{ ...scale('q3'), options: [1, 2, 3, 4, 5].map((s) => opt(String(s), s)) }]
				}
			]
		},
		{
			code: 'd2',
			role: 'dimension',
			title: t('Chiều 2'),
			parts: [
				{
					code: 'p3',
					title: t('Nội dung 3'),
					questions: [
						{
							code: 'q4',
							type: 'yesno',
							text: t('q4'),
							scored: true,
							options: [opt('yes', 1), opt('no', 0)]
						}
					]
				}
			]
		}
	]
});

const answers = (values: Record<string, string>): CleanAnswer[] =>
	Object.entries(values).map(([code, option]) => ({ code, options: [option] }));

export const papiResponses = [
	{ q1: 'yes', q2: 'no', q3: '5', q4: 'yes' },
	{ q1: 'no', q2: 'yes', q3: '3', q4: 'no' },
	{ q1: 'dont_know', q2: 'no', q3: '1', q4: 'yes' },
	{ q1: 'yes', q2: 'no', q3: '4', q4: 'no' }
].map((a) => ({ weight: 1, answers: answers(a) }));

export const sipas = spec({
	kind: 'sipas',
	scoring: { method: 'sipas', satisfied: ['4', '5'] },
	sections: [
		{
			code: 'e1',
			role: 'element',
			title: t('Yếu tố 1'),
			parts: [
				{ code: 'c1', title: t('Tiêu chí 1'), questions: [scale('qa')] },
				{ code: 'c2', title: t('Tiêu chí 2'), questions: [scale('qb')] }
			]
		},
		{
			code: 'e2',
			role: 'element',
			title: t('Yếu tố 2'),
			parts: [{ code: 'c3', title: t('Tiêu chí 3'), questions: [scale('qc')] }]
		},
		{
			code: 'overall',
			role: 'overall',
			title: t('Chung'),
			parts: [{ code: 'o', questions: [scale('qo', false)] }]
		}
	]
});

export const sipasResponses = [
	{ qa: '5', qb: '4', qc: '2', qo: '4' },
	{ qa: '3', qb: '5', qc: '4', qo: '5' },
	{ qa: 'dk', qb: '1', qc: '5', qo: '2' },
	{ qa: '4', qb: '2', qc: '3', qo: 'dk' }
].map((a) => ({ weight: 1, answers: answers(a) }));

// The same service elements under the 2023–2026 method: a policy element pe1 with two criteria
// (qp, qq) before them, so the index is ½ policy sub-index + ½ service sub-index.
export const sipas2023 = spec({
	kind: 'sipas',
	scoring: { method: 'sipas', satisfied: ['4', '5'] },
	sections: [
		{
			code: 'pe1',
			role: 'policy',
			title: t('Yếu tố chính sách 1'),
			parts: [
				{ code: 'pc1', title: t('Tiêu chí chính sách 1'), questions: [scale('qp')] },
				{ code: 'pc2', title: t('Tiêu chí chính sách 2'), questions: [scale('qq')] }
			]
		},
		...sipas.sections
	]
});

export const sipas2023Responses = [
	{ qp: '4', qq: '1' },
	{ qp: '5', qq: '5' },
	{ qp: '2', qq: 'dk' },
	{ qp: 'dk', qq: '4' }
].map((a, i) => ({
	weight: 1,
	answers: [...sipasResponses[i]!.answers, ...answers(a)]
}));
