import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/forms/parse';
import { invalidInput } from '$lib/server/forms/refusal';
import { formStep, loaded } from '$lib/server/forms/step';
import { refuseSurvey } from '$lib/server/surveys/refusals';
import { editNewest, newestVersion } from '$lib/server/surveys/instruments';
import { mayChangeInstrument } from '$lib/server/surveys/permissions';
import { instrumentUnits } from '$lib/server/surveys/scope';
import { findQuestion, questionsBefore, replaceQuestion } from '$lib/surveys/edit';
import { fromForm, toFormValues } from '$lib/surveys/question-form';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { asId } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

/** The question being edited, in the newest version of its instrument. */
async function editing(idParam: string, code: string) {
	const newest = await newestVersion(await getDb(), asId(idParam) ?? 0);
	const question = newest && findQuestion(newest.spec, code);
	if (!newest || !question) throw refuseSurvey('not_found');
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
	const { newest, question } = await loaded(editing(event.params.id, event.params.code));
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
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		// a refusal echoes one value a name: the condition's choices come back as one line each
		form.set(
			'show_if_kept',
			form
				.getAll('show_if')
				.filter((c) => typeof c === 'string')
				.join('\n')
		);
		// the fields depend on the question's type: fromForm reads them and blames each one
		const step = async (_: unknown, form: FormData) => {
			const { newest, question } = await editing(event.params.id, event.params.code);
			const db = await getDb();
			if (!mayChangeInstrument(user.grants, await instrumentUnits(db, newest.instrumentId)))
				throw refuseSurvey('read_only');
			const read = fromForm(question, form, questionsBefore(newest.spec, question.code));
			if ('errors' in read) throw invalidInput(read.errors, m.error_invalid_request);
			const outcome = await editNewest(
				db,
				newest.instrumentId,
				(spec) => replaceQuestion(spec, question.code, read.question),
				user.id
			);
			if ('error' in outcome) throw invalidInput({}, () => outcome.error);
			if ('problems' in outcome) {
				const { problems } = outcome;
				throw invalidInput({}, () => [m.fw_spec_invalid(), ...problems].join(' '));
			}
			return { done: m.fw_q_changed({ version: outcome.saved.version }) };
		};
		return formStep(event.request, z.object({}), step, { form });
	}
};
