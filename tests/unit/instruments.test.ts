import { describe, expect, it } from 'vitest';
import { allQuestions, instrumentSpec, type InstrumentSpec } from '$lib/surveys/spec';
import papiJson from '../../seeds/instruments/papi.json';
import sipasJson from '../../seeds/instruments/sipas.json';

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
