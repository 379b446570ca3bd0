import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/forms/parse';
import { editNewest, newestVersion } from '$lib/server/surveys/instruments';
import { mayChangeInstrument } from '$lib/server/surveys/permissions';
import { instrumentUnits } from '$lib/server/surveys/scope';
import { findQuestion, questionsBefore, replaceQuestion } from '$lib/surveys/edit';
import { echoFormValues, fromForm, toFormValues } from '$lib/surveys/question-form';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { asId } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

/** The question being edited, in the newest version of its instrument. */
async function editing(idParam: string, code: string) {
	const newest = await newestVersion(await getDb(), asId(idParam) ?? 0);
	const question = newest && findQuestion(newest.spec, code);
	if (!newest || !question) error(404, { message: m.error_not_found() });
	return { newest, question };
}

/** The earlier questions a condition can use: those with options. */
function conditionChoices(spec: InstrumentSpec, code: string) {
	return questionsBefore(spec, code).flatMap((q) =>
		'options' in q
			? [
					{
						code: q.code,
						text: q.text,
						options: q.options.map((o) => ({ code: o.code, label: o.label }))
					}
				]
			: []
	);
}

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const { newest, question } = await editing(event.params.id, event.params.code);
	return {
		id: newest.instrumentId,
		canChange: mayChangeInstrument(
			user.grants,
			await instrumentUnits(await getDb(), newest.instrumentId)
		),
		title: newest.spec.title,
		version: newest.version,
		status: newest.status,
		question: { code: question.code, type: question.type },
		values: toFormValues(question),
		choices: conditionChoices(newest.spec, question.code)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const { newest, question } = await editing(event.params.id, event.params.code);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		if (
			!mayChangeInstrument(user.grants, await instrumentUnits(await getDb(), newest.instrumentId))
		)
			return fail(403, {
				errors: {},
				values: echoFormValues(form),
				message: m.fw_read_only(),
				problems: []
			});
		const read = fromForm(question, form, questionsBefore(newest.spec, question.code));
		if ('errors' in read) return fail(400, { errors: read.errors, values: read.values });
		const outcome = await editNewest(
			await getDb(),
			newest.instrumentId,
			(spec) => replaceQuestion(spec, question.code, read.question),
			user.id
		);
		if ('saved' in outcome) return { done: m.fw_q_changed({ version: outcome.saved.version }) };
		return fail(400, {
			errors: {},
			values: echoFormValues(form),
			message: 'error' in outcome ? outcome.error : m.fw_spec_invalid(),
			problems: 'problems' in outcome ? outcome.problems : []
		});
	}
};
