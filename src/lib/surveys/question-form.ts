import { m } from '$lib/paraglide/messages';
import {
	OPTION_CODE_PATTERN,
	type Condition,
	type Option,
	type Question,
	type QuestionType,
	type Text
} from './spec';

/**
 * The staff form for one question, as flat form fields: the same shape whether it is filled from
 * the stored question or echoed back after an error. Options are numbered rows (`o0_code`,
 * `o0_vi`, ...) with a few blank rows for new options. Pure: no I/O.
 */
export type QuestionFormValues = {
	fields: Record<string, string>;
	/** the condition, as `question:option` pairs */
	showIf: string[];
	/** how many option rows the form has */
	rows: number;
};

export const BLANK_OPTION_ROWS = 2;
const MAX_OPTION_ROWS = 40;

/** How many options each type may have; the others have none. */
export const OPTION_COUNTS: Partial<Record<QuestionType, { min: number; max: number }>> = {
	single: { min: 2, max: MAX_OPTION_ROWS },
	multiple: { min: 2, max: MAX_OPTION_ROWS },
	scale5: { min: 5, max: 7 },
	yesno: { min: 2, max: 4 }
};

export function toFormValues(q: Question): QuestionFormValues {
	const fields: Record<string, string> = {
		text_vi: q.text.vi,
		text_en: q.text.en,
		help_vi: q.help?.vi ?? '',
		help_en: q.help?.en ?? '',
		required: q.required ? 'yes' : '',
		scored: q.scored ? 'yes' : ''
	};
	let rows = 0;
	if ('options' in q) {
		q.options.forEach((o, i) => {
			fields[`o${i}_order`] = String(i + 1);
			fields[`o${i}_code`] = o.code;
			fields[`o${i}_vi`] = o.label.vi;
			fields[`o${i}_en`] = o.label.en;
			fields[`o${i}_score`] = o.score === null ? '' : String(o.score);
			fields[`o${i}_missing`] = o.missing ?? '';
		});
		rows = q.options.length + BLANK_OPTION_ROWS;
		if (q.type === 'multiple') fields.max_choices = q.maxChoices ? String(q.maxChoices) : '';
	}
	if (q.type === 'number') {
		fields.min = String(q.min);
		fields.max = String(q.max);
		fields.integer = q.integer ? 'yes' : '';
		fields.unit_vi = q.unit?.vi ?? '';
		fields.unit_en = q.unit?.en ?? '';
	}
	if (q.type === 'text' || q.type === 'longtext') fields.max_length = String(q.maxLength);
	return {
		fields,
		showIf: q.showIf ? q.showIf.anyOf.map((o) => `${q.showIf!.question}:${o}`) : [],
		rows
	};
}

/** What was posted, to show again with the errors. */
export function echoFormValues(form: FormData): QuestionFormValues {
	const fields: Record<string, string> = {};
	for (const [key, value] of form)
		if (typeof value === 'string' && key !== 'show_if') fields[key] = value.slice(0, 5_000);
	const rows = Math.min(MAX_OPTION_ROWS, Math.max(0, Number(fields.option_rows) || 0));
	return {
		fields,
		showIf: form.getAll('show_if').filter((v): v is string => typeof v === 'string'),
		rows
	};
}

export type QuestionFormResult =
	{ question: Question } | { errors: Record<string, string>; values: QuestionFormValues };

/**
 * Reads the posted form for `original` (whose code and type do not change here). `earlier` are
 * the questions a condition may refer to. Every problem is reported at its field.
 */
export function fromForm(
	original: Question,
	form: FormData,
	earlier: Question[]
): QuestionFormResult {
	const values = echoFormValues(form);
	const f = values.fields;
	const errors: Record<string, string> = {};
	const str = (name: string) => (f[name] ?? '').trim();

	const required = (prefix: string): Text | undefined => {
		const vi = str(`${prefix}_vi`);
		const en = str(`${prefix}_en`);
		if (!vi) errors[`${prefix}_vi`] = m.fw_q_field_required();
		if (!en) errors[`${prefix}_en`] = m.fw_q_field_required();
		return vi && en ? { vi, en } : undefined;
	};
	const optional = (prefix: string): Text | undefined => {
		const vi = str(`${prefix}_vi`);
		const en = str(`${prefix}_en`);
		if (!vi && !en) return undefined;
		if (!vi) errors[`${prefix}_vi`] = m.fw_q_both_languages();
		if (!en) errors[`${prefix}_en`] = m.fw_q_both_languages();
		return vi && en ? { vi, en } : undefined;
	};
	const number = (name: string): number | undefined => {
		const n = str(name) === '' ? NaN : Number(str(name).replace(',', '.'));
		if (!Number.isFinite(n)) errors[name] = m.fw_q_number_invalid();
		return Number.isFinite(n) ? n : undefined;
	};

	const text = required('text');
	const help = optional('help');
	const showIf = condition(values.showIf, earlier, errors);
	const common = {
		code: original.code,
		text: text ?? original.text,
		...(help ? { help } : {}),
		required: f.required === 'yes',
		scored: f.scored === 'yes',
		...(showIf ? { showIf } : {})
	};

	let question: Question;
	if ('options' in original) {
		const options = readOptions(values, original.type, errors);
		if (common.scored && options.every((o) => o.score === null))
			errors.options ??= m.fw_q_scored_no_score();
		if (original.type === 'multiple') {
			const raw = str('max_choices');
			const max = raw === '' ? undefined : Number(raw);
			if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= options.length))
				errors.max_choices = m.fw_q_max_choices_invalid();
			question = { ...common, type: 'multiple', options, ...(max ? { maxChoices: max } : {}) };
		} else {
			question = { ...common, type: original.type, options };
		}
	} else if (original.type === 'number') {
		const min = number('min');
		const max = number('max');
		if (min !== undefined && max !== undefined && min >= max) errors.max = m.fw_q_min_max();
		const unit = optional('unit');
		question = {
			...common,
			type: 'number',
			min: min ?? original.min,
			max: max ?? original.max,
			integer: f.integer === 'yes',
			...(unit ? { unit } : {})
		};
	} else if (original.type === 'text' || original.type === 'longtext') {
		const limit = original.type === 'text' ? 500 : 5000;
		const maxLength = Number(str('max_length'));
		if (!(Number.isInteger(maxLength) && maxLength >= 1 && maxLength <= limit))
			errors.max_length = m.fw_q_max_length_invalid({ max: limit });
		question = { ...common, type: original.type, maxLength: errors.max_length ? limit : maxLength };
	} else {
		question = { ...common, type: original.type };
	}
	return Object.keys(errors).length ? { errors, values } : { question };
}

function condition(
	pairs: string[],
	earlier: Question[],
	errors: Record<string, string>
): Condition | undefined {
	if (!pairs.length) return undefined;
	const parsed = pairs.map((p) => {
		const at = p.indexOf(':');
		return { question: p.slice(0, at), option: p.slice(at + 1) };
	});
	const target = earlier.find((q) => q.code === parsed[0]!.question);
	if (parsed.some((p) => p.question !== parsed[0]!.question)) {
		errors.show_if = m.fw_q_condition_one();
		return undefined;
	}
	if (
		!target ||
		!('options' in target) ||
		parsed.some((p) => !target.options.some((o) => o.code === p.option))
	) {
		errors.show_if = m.fw_q_condition_unknown();
		return undefined;
	}
	return { question: target.code, anyOf: parsed.map((p) => p.option) };
}

function readOptions(
	values: QuestionFormValues,
	type: QuestionType,
	errors: Record<string, string>
): Option[] {
	const f = values.fields;
	const rows: { order: number; row: number; option: Option }[] = [];
	const seen = new Set<string>();
	for (let i = 0; i < values.rows; i++) {
		const get = (name: string) => (f[`o${i}_${name}`] ?? '').trim();
		if (get('remove') === 'yes' || (!get('code') && !get('vi') && !get('en'))) continue;
		const code = get('code');
		if (!OPTION_CODE_PATTERN.test(code)) errors[`o${i}_code`] = m.fw_o_code_invalid();
		else if (seen.has(code)) errors[`o${i}_code`] = m.fw_o_code_duplicate();
		seen.add(code);
		if (!get('vi')) errors[`o${i}_vi`] = m.fw_q_field_required();
		if (!get('en')) errors[`o${i}_en`] = m.fw_q_field_required();
		const rawScore = get('score').replace(',', '.');
		const score = rawScore === '' ? null : Number(rawScore);
		if (score !== null && !Number.isFinite(score)) errors[`o${i}_score`] = m.fw_o_score_invalid();
		const missing = get('missing');
		const order = Number(get('order'));
		rows.push({
			order: Number.isFinite(order) && get('order') !== '' ? order : Number.MAX_SAFE_INTEGER,
			row: i,
			option: {
				code,
				label: { vi: get('vi'), en: get('en') },
				score: score !== null && Number.isFinite(score) ? score : null,
				...(missing === 'dont_know' || missing === 'refuse' ? { missing } : {})
			}
		});
	}
	const count = OPTION_COUNTS[type]!;
	if (rows.length < count.min || rows.length > count.max)
		errors.options = m.fw_o_count({ min: count.min, max: count.max });
	return rows.sort((a, b) => a.order - b.order || a.row - b.row).map((r) => r.option);
}
