import { z } from 'zod';
import { config } from 'zod/v4/core';
import { browser } from '$app/environment';

// In the browser Zod 4 tests once whether it may compile parsers with `new Function`; under the
// portal's CSP (no 'unsafe-eval') that test is a reported violation, on every page that imports
// this module (the instrument editor). It parses as well without compiling. Set here, not in
// hooks.client.ts, so that pages without Zod do not download it.
if (browser) config({ jitless: true });

/**
 * An instrument (questionnaire) as data. Validated on load and on import; stored as JSON in
 * instrument_version.spec. Pure: shared by the server, the staff editor and the citizen pages.
 *
 * Shape: sections (PAPI dimensions, SIPAS service or policy elements, or plain blocks such as
 * demographics) -> parts (PAPI sub-dimensions / SIPAS criteria; one untitled part for a plain block)
 * -> questions -> options with scores.
 */

export const CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const OPTION_CODE_PATTERN = /^[a-z0-9_]{1,40}$/;

const code = z
	.string()
	.regex(CODE_PATTERN, 'lower-case letters, digits and _; starting with a letter');

export const text = z.object({ vi: z.string().trim().min(1), en: z.string().trim().min(1) });
export type Text = z.infer<typeof text>;

export const option = z.object({
	code: z.string().regex(OPTION_CODE_PATTERN),
	label: text,
	/** the option's value for scoring; null for options that carry no score */
	score: z.number().finite().nullable().default(null),
	/** "don't know" and "refuse" answers count as answered but are left out of scores */
	missing: z.enum(['dont_know', 'refuse']).optional()
});
export type Option = z.infer<typeof option>;

/** Show this question only when an earlier question's answer is one of `anyOf`. */
export const condition = z.object({ question: code, anyOf: z.array(z.string()).min(1) });
export type Condition = z.infer<typeof condition>;

const base = {
	code,
	text,
	help: text.optional(),
	required: z.boolean().default(true),
	showIf: condition.optional(),
	/** counted in the index of its part (PAPI indicator, SIPAS criterion) */
	scored: z.boolean().default(false)
};

export const question = z.discriminatedUnion('type', [
	z.object({ ...base, type: z.literal('single'), options: z.array(option).min(2) }),
	z.object({
		...base,
		type: z.literal('multiple'),
		options: z.array(option).min(2),
		maxChoices: z.number().int().min(1).optional()
	}),
	/** five labelled points, scored 1..5, plus optional don't-know/refuse options */
	z.object({ ...base, type: z.literal('scale5'), options: z.array(option).min(5).max(7) }),
	/** yes / no / don't know (and optionally refuse) */
	z.object({ ...base, type: z.literal('yesno'), options: z.array(option).min(2).max(4) }),
	z.object({
		...base,
		type: z.literal('number'),
		min: z.number().finite(),
		max: z.number().finite(),
		integer: z.boolean().default(true),
		unit: text.optional()
	}),
	z.object({
		...base,
		type: z.literal('text'),
		maxLength: z.number().int().min(1).max(500).default(200)
	}),
	z.object({
		...base,
		type: z.literal('longtext'),
		maxLength: z.number().int().min(1).max(5000).default(2000)
	}),
	/** the respondent's commune, chosen among the communes in the wave's scope */
	z.object({ ...base, type: z.literal('commune') })
]);
export type Question = z.infer<typeof question>;
export type QuestionType = Question['type'];
export const QUESTION_TYPES = [
	'single',
	'multiple',
	'scale5',
	'yesno',
	'number',
	'text',
	'longtext',
	'commune'
] as const satisfies readonly QuestionType[];

export const part = z.object({
	code,
	/** PAPI: the sub-dimension's name; SIPAS: the criterion; absent for a plain block */
	title: text.optional(),
	questions: z.array(question).min(1)
});
export type Part = z.infer<typeof part>;

/**
 * What a section is for. Scored: 'dimension' (PAPI), 'element' (SIPAS: an element of the service
 * sub-index, or of the whole index before the 2023–2026 method) and 'policy' (SIPAS since QĐ
 * 1001/QĐ-BNV: an element of the policy sub-index). Not scored: the rest.
 */
export const SECTION_ROLES = [
	'dimension',
	'element',
	'policy',
	'overall',
	'needs',
	'demographics',
	'block'
] as const;

/**
 * The two sub-indices of SIPAS under the 2023–2026 method (QĐ 1001/QĐ-BNV), in the order the
 * method and the published results list them: satisfaction with building and implementing
 * policy, made of the 'policy' sections, and with delivering administrative services, made of
 * the 'element' sections. A SIPAS spec with policy sections is scored this way; one without is
 * scored by the earlier method (the index is the mean of its elements).
 */
export const SUB_INDICES = [
	{ code: 'policy_index', role: 'policy' },
	{ code: 'service_index', role: 'element' }
] as const;

/** Measure codes the scoring adds; no section, part or question may take one. */
export const RESERVED_CODES: readonly string[] = ['total', ...SUB_INDICES.map((s) => s.code)];

export const section = z.object({
	code,
	role: z.enum(SECTION_ROLES),
	title: text,
	intro: text.optional(),
	parts: z.array(part).min(1)
});
export type Section = z.infer<typeof section>;

export const scoring = z.discriminatedUnion('method', [
	/**
	 * PAPI: each scored question is rescaled to 0..1 between its lowest and highest option score;
	 * a sub-dimension (part) is the mean of its indicators times its equal share of the dimension's
	 * maximum; a dimension is the sum of its parts; the total is the sum of the dimensions.
	 */
	z.object({ method: z.literal('papi'), dimensionMax: z.number().positive() }),
	/**
	 * SIPAS: per criterion the share of answers among `satisfied` option codes; an element's index
	 * is the mean of its criteria; the overall index is the mean of the elements, or with policy
	 * sections (the 2023–2026 method) the mean of the two sub-indices, each the mean of its
	 * elements (see `SUB_INDICES`).
	 */
	z.object({ method: z.literal('sipas'), satisfied: z.array(z.string()).min(1) }),
	z.object({ method: z.literal('none') })
]);
export type Scoring = z.infer<typeof scoring>;

export const instrumentSpec = z
	.object({
		/** stable identifier of the instrument across its versions */
		slug: z.string().regex(/^[a-z0-9-]{2,60}$/),
		kind: z.enum(['papi', 'sipas', 'other']),
		title: text,
		description: text,
		/** what the respondent is told before starting: why, how long, what is kept */
		consent: text,
		estimatedMinutes: z.number().int().min(1).max(120),
		scoring,
		sections: z.array(section).min(1)
	})
	.superRefine((spec, ctx) => {
		const seen = new Map<string, Question>();
		const codes = new Set<string>();
		spec.sections.forEach((s, si) => {
			for (const c of [s.code, ...s.parts.map((p) => p.code)]) {
				if (codes.has(c))
					ctx.addIssue({ code: 'custom', path: ['sections', si], message: `duplicate code ${c}` });
				codes.add(c);
			}
			s.parts.forEach((p, pi) =>
				p.questions.forEach((q, qi) => {
					const path = ['sections', si, 'parts', pi, 'questions', qi];
					if (seen.has(q.code) || codes.has(q.code)) {
						ctx.addIssue({ code: 'custom', path, message: `duplicate code ${q.code}` });
					}
					if ('options' in q) {
						const optionCodes = q.options.map((o) => o.code);
						if (new Set(optionCodes).size !== optionCodes.length) {
							ctx.addIssue({ code: 'custom', path, message: `${q.code}: duplicate option codes` });
						}
						if (q.scored && q.options.every((o) => o.score === null)) {
							ctx.addIssue({
								code: 'custom',
								path,
								message: `${q.code}: scored but no option has a score`
							});
						}
					}
					if (q.type === 'number' && q.min >= q.max) {
						ctx.addIssue({ code: 'custom', path, message: `${q.code}: min must be below max` });
					}
					if (q.showIf) {
						const target = seen.get(q.showIf.question);
						if (!target) {
							ctx.addIssue({
								code: 'custom',
								path,
								message: `${q.code}: showIf must refer to an earlier question`
							});
						} else if ('options' in target) {
							const known = new Set(target.options.map((o) => o.code));
							const unknown = q.showIf.anyOf.filter((v) => !known.has(v));
							if (unknown.length) {
								ctx.addIssue({
									code: 'custom',
									path,
									message: `${q.code}: unknown options ${unknown.join(', ')}`
								});
							}
						}
					}
					seen.set(q.code, q);
				})
			);
		});
		for (const c of [...codes, ...seen.keys()])
			if (RESERVED_CODES.includes(c))
				ctx.addIssue({
					code: 'custom',
					path: ['sections'],
					message: `${c} is the code of a computed measure; choose another`
				});
		if (spec.sections.some((s) => s.role === 'policy')) {
			if (spec.scoring.method !== 'sipas')
				ctx.addIssue({
					code: 'custom',
					path: ['sections'],
					message: 'policy sections belong to a SIPAS instrument (scoring method sipas)'
				});
			else if (!spec.sections.some((s) => s.role === 'element'))
				ctx.addIssue({
					code: 'custom',
					path: ['sections'],
					message:
						'a SIPAS instrument with policy sections needs service elements too: the index is the mean of both sub-indices'
				});
		}
		if (spec.scoring.method === 'papi' && !spec.sections.some((s) => s.role === 'dimension')) {
			ctx.addIssue({
				code: 'custom',
				path: ['sections'],
				message: 'a PAPI instrument needs dimensions'
			});
		}
	});
export type InstrumentSpec = z.infer<typeof instrumentSpec>;

/** Whether the spec is scored as SIPAS under the 2023–2026 method: two sub-indices. */
export function hasSubIndices(spec: InstrumentSpec): boolean {
	return spec.scoring.method === 'sipas' && spec.sections.some((s) => s.role === 'policy');
}

export function allQuestions(spec: InstrumentSpec): Question[] {
	return spec.sections.flatMap((s) => s.parts.flatMap((p) => p.questions));
}
