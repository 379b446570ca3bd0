import { describe, expect, it } from 'vitest';
import {
	addQuestion,
	findQuestion,
	moveQuestion,
	newQuestion,
	questionsBefore,
	removeQuestion,
	replaceQuestion,
	type EditResult
} from '$lib/surveys/edit';
import { fromForm, toFormValues } from '$lib/surveys/question-form';
import {
	allQuestions,
	instrumentSpec,
	question as questionSchema,
	QUESTION_TYPES,
	type InstrumentSpec,
	type Question
} from '$lib/surveys/spec';
import sipasJson from '../../seeds/instruments/sipas.json';

const sipas = instrumentSpec.parse(sipasJson);

function ok(result: EditResult): InstrumentSpec {
	if ('error' in result) throw new Error(result.error);
	return instrumentSpec.parse(result.spec);
}

function formOf(values: Record<string, string | string[]>): FormData {
	const form = new FormData();
	for (const [k, v] of Object.entries(values))
		for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
	return form;
}

/** The form a browser would post for a question left as it is. */
function unchangedForm(q: Question): FormData {
	const v = toFormValues(q);
	return formOf({
		...v.fields,
		option_rows: String(v.rows),
		show_if: v.showIf
	});
}

const codes = (spec: InstrumentSpec) => allQuestions(spec).map((q) => q.code);

describe('structural edits of an instrument', () => {
	it('offers a valid new question of every type the spec knows', () => {
		expect(QUESTION_TYPES).toHaveLength(questionSchema.options.length);
		for (const type of QUESTION_TYPES) {
			expect(questionSchema.safeParse(newQuestion(`new_${type}`, type)).success, type).toBe(true);
		}
	});

	it('adds a question at the end of a part, and refuses a code already used', () => {
		const part = sipas.sections[0]!.parts[0]!;
		const added = ok(addQuestion(sipas, part.code, 'waiting_time', 'number'));
		expect(added.sections[0]!.parts[0]!.questions.at(-1)!.code).toBe('waiting_time');
		expect(codes(added)).toHaveLength(codes(sipas).length + 1);
		expect(addQuestion(added, part.code, 'waiting_time', 'text')).toHaveProperty('error');
		expect(addQuestion(sipas, part.code, part.code, 'text')).toHaveProperty('error');
		expect(addQuestion(sipas, part.code, 'Bad Code', 'text')).toHaveProperty('error');
		expect(addQuestion(sipas, 'no_such_part', 'fine_code', 'text')).toHaveProperty('error');
		// the original is untouched
		expect(codes(sipas)).not.toContain('waiting_time');
	});

	it('moves a question within its part and leaves a question at the edge where it is', () => {
		const part = sipas.sections
			.find((s) => s.parts.some((p) => p.questions.length >= 2))!
			.parts.find((p) => p.questions.length >= 2)!;
		const [first, second] = part.questions.map((q) => q.code);
		const moved = ok(moveQuestion(sipas, second!, -1));
		const order = codes(moved);
		expect(order.indexOf(second!)).toBeLessThan(order.indexOf(first!));
		expect(codes(ok(moveQuestion(sipas, first!, -1)))).toEqual(codes(sipas));
	});

	it('keeps a conditional question after the question its condition uses', () => {
		let spec = ok(addQuestion(sipas, sipas.sections[0]!.parts[0]!.code, 'gate', 'yesno'));
		spec = ok(addQuestion(spec, sipas.sections[0]!.parts[0]!.code, 'follow', 'text'));
		const follow = findQuestion(spec, 'follow')!;
		spec = ok(
			replaceQuestion(spec, 'follow', { ...follow, showIf: { question: 'gate', anyOf: ['yes'] } })
		);
		expect(moveQuestion(spec, 'follow', -1)).toEqual({ error: expect.any(String) });
		expect(removeQuestion(spec, 'gate')).toEqual({ error: expect.stringContaining('follow') });
		expect(codes(ok(removeQuestion(spec, 'follow')))).not.toContain('follow');
	});

	it('will not empty a part', () => {
		let spec = sipas;
		const part = spec.sections[0]!.parts[0]!;
		for (const q of part.questions.slice(1)) spec = ok(removeQuestion(spec, q.code));
		expect(removeQuestion(spec, part.questions[0]!.code)).toHaveProperty('error');
	});
});

describe('the question form', () => {
	const scale = allQuestions(sipas).find((q) => q.type === 'scale5')!;

	it('gives back the same question when nothing is changed, for every question', () => {
		for (const q of allQuestions(sipas)) {
			const read = fromForm(q, unchangedForm(q), questionsBefore(sipas, q.code));
			expect(read, q.code).toEqual({ question: q });
		}
	});

	it('changes wording, scores and order, adds an option from a blank row and removes one', () => {
		const v = toFormValues(scale);
		const n = scale.options.length;
		const form = formOf({
			...v.fields,
			option_rows: String(v.rows),
			text_vi: 'Câu hỏi đã sửa',
			o0_score: '10',
			o1_remove: 'yes',
			o2_order: '99',
			[`o${n}_code`]: 'na',
			[`o${n}_vi`]: 'Không áp dụng',
			[`o${n}_en`]: 'Not applicable',
			[`o${n}_missing`]: 'refuse'
		});
		const read = fromForm(scale, form, questionsBefore(sipas, scale.code));
		if (!('question' in read)) throw new Error(JSON.stringify(read.errors));
		const q = read.question;
		expect(q.text).toEqual({ vi: 'Câu hỏi đã sửa', en: scale.text.en });
		if (!('options' in q)) throw new Error('options expected');
		expect(q.options[0]!.score).toBe(10);
		expect(q.options.map((o) => o.code)).not.toContain(scale.options[1]!.code);
		// order 99 goes after the numbered options; a new row without an order comes last
		expect(q.options.map((o) => o.code).slice(-2)).toEqual([scale.options[2]!.code, 'na']);
		expect(q.options.find((o) => o.code === 'na')).toMatchObject({
			score: null,
			missing: 'refuse'
		});
	});

	it('reports each problem at its field and keeps what was typed', () => {
		const v = toFormValues(scale);
		const form = formOf({
			...v.fields,
			option_rows: String(v.rows),
			text_en: ' ',
			help_vi: 'Chỉ có tiếng Việt',
			o0_code: 'Bad Code',
			o1_code: scale.options[2]!.code,
			o2_score: 'nhiều'
		});
		const read = fromForm(scale, form, []);
		if (!('errors' in read)) throw new Error('errors expected');
		expect(Object.keys(read.errors).sort()).toEqual(
			['help_en', 'o0_code', 'o2_score', 'text_en', 'o2_code'].sort()
		);
		expect(read.values.fields.help_vi).toBe('Chỉ có tiếng Việt');
		expect(read.values.fields.o2_score).toBe('nhiều');
	});

	it('refuses too few options for the type, and a condition on a later or mixed question', () => {
		const v = toFormValues(scale);
		const few: Record<string, string> = { ...v.fields, option_rows: String(v.rows) };
		for (let i = 0; i < 3; i++) few[`o${i}_remove`] = 'yes';
		const read = fromForm(scale, formOf(few), []);
		expect(read).toHaveProperty('errors.options');

		const earlier = questionsBefore(sipas, scale.code).filter((q) => 'options' in q);
		const [a, b] = earlier as (Question & { options: { code: string }[] })[];
		if (a && b) {
			const mixed = formOf({
				...v.fields,
				option_rows: String(v.rows),
				show_if: [`${a.code}:${a.options[0]!.code}`, `${b.code}:${b.options[0]!.code}`]
			});
			expect(fromForm(scale, mixed, earlier)).toHaveProperty('errors.show_if');
		}
		const later = formOf({ ...v.fields, option_rows: String(v.rows), show_if: ['commune:x'] });
		expect(fromForm(scale, later, questionsBefore(sipas, scale.code))).toHaveProperty(
			'errors.show_if'
		);
	});

	it('checks the bounds of a number question', () => {
		const q = newQuestion('years', 'number');
		const v = toFormValues(q);
		const read = fromForm(q, formOf({ ...v.fields, min: '10', max: '5' }), []);
		expect(read).toHaveProperty('errors.max');
		const bad = fromForm(q, formOf({ ...v.fields, min: 'abc' }), []);
		expect(bad).toHaveProperty('errors.min');
	});
});
