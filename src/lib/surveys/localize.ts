import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { AnswerError } from './answers';
import type { Question, Text } from './spec';

/** An instrument text in the language of the page. */
export function tr(text: Text): string {
	return getLocale() === 'en' ? text.en : text.vi;
}

export function answerErrorMessage(error: AnswerError, q: Question): string {
	switch (error) {
		case 'required':
			return m.survey_error_required();
		case 'invalid_option':
			return m.survey_error_invalid_option();
		case 'too_many':
			return m.survey_error_too_many({ max: q.type === 'multiple' ? (q.maxChoices ?? 0) : 0 });
		case 'not_a_number':
			return m.survey_error_not_a_number();
		case 'not_integer':
			return m.survey_error_not_integer();
		case 'out_of_range':
			return q.type === 'number'
				? m.survey_error_out_of_range({ min: q.min, max: q.max })
				: m.survey_error_not_a_number();
		case 'too_long':
			return m.survey_error_too_long({ max: 'maxLength' in q ? q.maxLength : 0 });
	}
}

/** The validation messages static/survey.js shows before a post, with {min}/{max} to fill in. */
export function clientMessages(): string {
	return JSON.stringify({
		required: m.survey_error_required(),
		invalid_option: m.survey_error_invalid_option(),
		not_a_number: m.survey_error_not_a_number(),
		not_integer: m.survey_error_not_integer(),
		out_of_range: m.survey_error_out_of_range({ min: '{min}', max: '{max}' }),
		too_many: m.survey_error_too_many({ max: '{max}' }),
		too_long: m.survey_error_too_long({ max: '{max}' })
	});
}
