import { describe, expect, it } from 'vitest';
import {
	canonical,
	effectiveAnswers,
	nextShownPage,
	pagesOf,
	validate
} from '$lib/surveys/answers';
import { allQuestions, instrumentSpec, type InstrumentSpec } from '$lib/surveys/spec';

const t = (s: string) => ({ vi: s, en: s });
const yesno = [
	{ code: 'yes', label: t('Có'), score: 1 },
	{ code: 'no', label: t('Không'), score: 0 },
	{ code: 'dk', label: t('Không biết'), score: null, missing: 'dont_know' as const }
];
const spec: InstrumentSpec = instrumentSpec.parse({
	slug: 'test',
	kind: 'other',
	title: t('Thử'),
	description: t('Thử'),
	consent: t('Đồng ý'),
	estimatedMinutes: 2,
	scoring: { method: 'none' },
	sections: [
		{
			code: 's1',
			role: 'block',
			title: t('Một'),
			parts: [
				{
					code: 'p1',
					questions: [
						{ code: 'applied', type: 'yesno', text: t('Đã nộp hồ sơ?'), options: yesno },
						{
							code: 'days',
							type: 'number',
							text: t('Bao nhiêu ngày?'),
							min: 0,
							max: 365,
							showIf: { question: 'applied', anyOf: ['yes'] }
						},
						{
							code: 'bribe',
							type: 'yesno',
							text: t('Phải chi thêm?'),
							options: yesno,
							showIf: { question: 'days', anyOf: ['30'] }
						},
						{ code: 'note', type: 'text', text: t('Ghi chú'), required: false, maxLength: 5 }
					]
				}
			]
		},
		{
			code: 's2',
			role: 'block',
			title: t('Hai'),
			parts: [
				{
					code: 'p2',
					questions: [
						{ code: 'channels', type: 'multiple', text: t('Kênh'), maxChoices: 2, options: yesno }
					]
				}
			]
		}
	]
});
const questions = allQuestions(spec);

describe('paging', () => {
	it('splits a section before a question that depends on one on the same page', () => {
		const pages = pagesOf(spec);
		expect(pages.map((p) => [p.section.code, p.continued, p.questions.map((q) => q.code)])).toEqual(
			[
				['s1', false, ['applied']],
				['s1', true, ['days']],
				['s1', true, ['bribe', 'note']],
				['s2', false, ['channels']]
			]
		);
	});

	it('skips a page whose questions are all hidden', () => {
		const pages = pagesOf(spec);
		expect(nextShownPage(pages, { applied: 'no' }, 1, 1)).toBe(2);
		expect(nextShownPage(pages, { applied: 'yes' }, 1, 1)).toBe(1);
		expect(nextShownPage(pages, {}, 3, -1)).toBe(3);
	});
});

describe('conditions', () => {
	it('drop answers left on questions an earlier answer now hides, down the whole chain', () => {
		const stale = { applied: 'no', days: '30', bribe: 'yes', note: 'x' };
		expect(effectiveAnswers(questions, stale)).toEqual({ applied: 'no', note: 'x' });
		expect(effectiveAnswers(questions, { ...stale, applied: 'yes' })).toEqual({
			...stale,
			applied: 'yes'
		});
	});
});

describe('validation', () => {
	const v = (raw: Record<string, string | string[]>) =>
		validate(questions, effectiveAnswers(questions, raw), new Set());

	it('requires shown required questions only', () => {
		expect(v({ applied: 'no', channels: ['yes'] }).errors).toEqual({});
		expect(v({ applied: 'yes', channels: ['yes'] }).errors).toEqual({ days: 'required' });
	});

	it('checks options, numbers, lengths and choice counts', () => {
		expect(v({ applied: 'maybe', channels: [] }).errors).toEqual({
			applied: 'invalid_option',
			channels: 'required'
		});
		expect(v({ applied: 'yes', days: 'ba', channels: ['yes'] }).errors).toEqual({
			days: 'not_a_number'
		});
		expect(v({ applied: 'yes', days: '2.5', channels: ['yes'] }).errors).toEqual({
			days: 'not_integer'
		});
		expect(v({ applied: 'yes', days: '400', channels: ['yes'] }).errors).toEqual({
			days: 'out_of_range'
		});
		expect(v({ applied: 'no', note: 'quá dài', channels: ['yes'] }).errors).toEqual({
			note: 'too_long'
		});
		expect(v({ applied: 'no', channels: ['yes', 'no', 'dk'] }).errors).toEqual({
			channels: 'too_many'
		});
	});

	it('gives clean answers that compare equal whatever the order posted', () => {
		const a = v({ applied: 'yes', days: '12', channels: ['no', 'yes'] });
		const b = v({ channels: ['yes', 'no'], days: '12', applied: 'yes' });
		expect(a.errors).toEqual({});
		expect(canonical(a.answers)).toBe(canonical(b.answers));
		expect(a.answers).toContainEqual({ code: 'days', number: 12 });
	});
});

describe('instrument spec', () => {
	it('refuses a condition on a later or unknown question', () => {
		const bad = structuredClone(spec);
		bad.sections[0]!.parts[0]!.questions[0]!.showIf = { question: 'channels', anyOf: ['yes'] };
		expect(instrumentSpec.safeParse(bad).success).toBe(false);
	});
});
