import { describe, expect, it } from 'vitest';
import { allQuestions, instrumentSpec, type InstrumentSpec } from '$lib/surveys/spec';
import papiJson from '../../seeds/instruments/papi.json';
import sipasJson from '../../seeds/instruments/sipas.json';
import sipas2023Json from '../../seeds/instruments/sipas-2023.json';
import { measuresOf } from '$lib/analytics/scoring';

const DEMOGRAPHICS = ['gender', 'age_band', 'ethnicity', 'education', 'residence_area', 'commune'];

function parse(json: unknown): InstrumentSpec {
	const result = instrumentSpec.safeParse(json);
	if (!result.success)
		throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
	return result.data;
}

describe('seeded PAPI-style instrument', () => {
	const spec = parse(papiJson);
	const dimensions = spec.sections.filter((s) => s.role === 'dimension');

	it('has the 8 dimensions, each worth 10 points, 80 in all', () => {
		expect(dimensions).toHaveLength(8);
		expect(spec.scoring).toEqual({ method: 'papi', dimensionMax: 10 });
		expect(dimensions.length * 10).toBe(80);
	});

	it('has every sub-dimension with at least two scored questions', () => {
		const parts = dimensions.flatMap((d) => d.parts);
		expect(parts.length).toBeGreaterThanOrEqual(24);
		for (const p of parts) {
			expect(p.title, p.code).toBeDefined();
			expect(p.questions.filter((q) => q.scored).length, p.code).toBeGreaterThanOrEqual(2);
		}
	});

	it('asks the demographic block', () => {
		const codes = allQuestions(spec).map((q) => q.code);
		for (const c of DEMOGRAPHICS) expect(codes).toContain(c);
	});
});

describe('seeded SIPAS-style instrument', () => {
	const spec = parse(sipasJson);
	const elements = spec.sections.filter((s) => s.role === 'element');

	it('has the 5 elements, each with criteria on the 5-point satisfaction scale', () => {
		expect(elements).toHaveLength(5);
		expect(spec.scoring.method).toBe('sipas');
		for (const e of elements) {
			expect(e.parts.length, e.code).toBeGreaterThanOrEqual(2);
			for (const q of e.parts.flatMap((p) => p.questions).filter((q) => q.scored)) {
				expect(q.type, q.code).toBe('scale5');
			}
		}
	});

	it('has an overall satisfaction question, the needs part and the demographic block', () => {
		expect(spec.sections.some((s) => s.role === 'overall')).toBe(true);
		expect(spec.sections.some((s) => s.role === 'needs')).toBe(true);
		const codes = allQuestions(spec).map((q) => q.code);
		for (const c of DEMOGRAPHICS) expect(codes).toContain(c);
	});
});

describe('seeded SIPAS-style instrument, 2023–2026 method (QĐ 1001/QĐ-BNV)', () => {
	const before = parse(sipasJson);
	const spec = parse(sipas2023Json);

	it('is a new version of the same instrument', () => {
		expect(spec.slug).toBe(before.slug);
		expect(spec.kind).toBe('sipas');
		expect(spec.scoring).toEqual(before.scoring);
	});

	it('adds policy elements of five-point criteria and keeps the service part as it was', () => {
		const policy = spec.sections.filter((s) => s.role === 'policy');
		expect(policy.map((s) => s.code)).toEqual([
			'policy_information',
			'policy_participation',
			'policy_implementation'
		]);
		for (const e of policy) {
			expect(e.parts.length, e.code).toBeGreaterThanOrEqual(2);
			for (const q of e.parts.flatMap((p) => p.questions)) {
				expect(q.type, q.code).toBe('scale5');
				expect(q.scored, q.code).toBe(true);
			}
		}
		// same service elements, criteria and questions: the old index is the new service sub-index
		const service = (s: InstrumentSpec) => s.sections.filter((x) => x.role === 'element');
		expect(service(spec)).toEqual(service(before));
		const of = (s: InstrumentSpec, code: string) => measuresOf(s).find((m) => m.code === code)!;
		expect(of(spec, 'service_index').terms).toEqual(of(before, 'total').terms);
	});

	it('asks the assessments as unscored questions, and the needs and demographics as before', () => {
		const codes = allQuestions(spec).map((q) => q.code);
		for (const c of [
			'policy_interest',
			'policy_channels',
			'policy_access_fit',
			'opinion_willingness',
			'harassment',
			'informal_payment',
			'submission_fit',
			...DEMOGRAPHICS
		])
			expect(codes).toContain(c);
		for (const q of allQuestions(spec).filter((q) => q.scored))
			expect(q.code, q.code).toMatch(/_sat$/);
		expect(spec.sections.some((s) => s.role === 'needs')).toBe(true);
	});
});

describe('the spec schema and the sub-indices', () => {
	const t = (vi: string) => ({ vi, en: vi });
	const section = (code: string, role: string, question = `${code}_q`) => ({
		code,
		role,
		title: t(code),
		parts: [
			{
				code: `${code}_c`,
				title: t(code),
				questions: [
					{
						code: question,
						type: 'scale5',
						text: t(question),
						scored: true,
						options: [1, 2, 3, 4, 5].map((n) => ({
							code: String(n),
							label: t(String(n)),
							score: n
						}))
					}
				]
			}
		]
	});
	const spec = (
		sections: unknown[],
		scoring: unknown = { method: 'sipas', satisfied: ['4', '5'] }
	) =>
		instrumentSpec.safeParse({
			slug: 'test',
			kind: 'sipas',
			title: t('Thử'),
			description: t('Thử'),
			consent: t('Thử'),
			estimatedMinutes: 5,
			scoring,
			sections
		});
	const problems = (r: ReturnType<typeof spec>) =>
		r.success ? [] : r.error.issues.map((i) => i.message);

	it('accepts policy sections beside service elements', () => {
		expect(spec([section('p1', 'policy'), section('e1', 'element')]).success).toBe(true);
	});

	it('refuses policy sections without service elements', () => {
		expect(problems(spec([section('p1', 'policy'), section('b', 'block')]))).toEqual([
			expect.stringMatching(/needs service elements/)
		]);
	});

	it('refuses policy sections outside a SIPAS instrument', () => {
		const papi = spec([section('p1', 'policy'), section('d1', 'dimension')], {
			method: 'papi',
			dimensionMax: 10
		});
		expect(problems(papi)).toEqual([expect.stringMatching(/belong to a SIPAS instrument/)]);
	});

	it('refuses the codes of computed measures for a section, part or question', () => {
		expect(problems(spec([section('p1', 'policy'), section('service_index', 'element')]))).toEqual([
			expect.stringMatching(/service_index is the code of a computed measure/)
		]);
		expect(problems(spec([section('e1', 'element', 'total')]))).toEqual([
			expect.stringMatching(/total is the code of a computed measure/)
		]);
		expect(problems(spec([section('e1', 'element', 'policy_index')]))).toHaveLength(1);
	});

	it('refuses a role it does not know', () => {
		expect(spec([section('e1', 'subindex')]).success).toBe(false);
	});
});

describe('every question type is used by the seeds', () => {
	it('covers single, multiple, scale5, yesno, number, text, longtext and commune, with a condition', () => {
		const questions = [...allQuestions(parse(papiJson)), ...allQuestions(parse(sipasJson))];
		const types = new Set(questions.map((q) => q.type));
		expect([...types].sort()).toEqual([
			'commune',
			'longtext',
			'multiple',
			'number',
			'scale5',
			'single',
			'text',
			'yesno'
		]);
		expect(questions.some((q) => q.showIf)).toBe(true);
		expect(
			questions.some((q) => 'options' in q && q.options.some((o) => o.missing === 'dont_know'))
		).toBe(true);
		expect(
			questions.some((q) => 'options' in q && q.options.some((o) => o.missing === 'refuse'))
		).toBe(true);
	});
});

describe('an instrument imported as JSON', () => {
	it('loses a NUL in its texts (PostgreSQL cannot store one) instead of failing the import', async () => {
		const { checkSpecJson } = await import('$lib/server/surveys/import');
		const json = structuredClone(sipasJson) as { title: { vi: string } };
		json.title.vi = 'Phiếu\u0000 thử';
		const checked = checkSpecJson(JSON.stringify(json));
		expect('spec' in checked && checked.spec.title.vi).toBe('Phiếu thử');
	});
});
