import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { invalidInput } from '$lib/server/forms/refusal';
import { formStep, loaded } from '$lib/server/forms/step';
import { asId } from '$lib/server/http/params';
import { refuseSurvey } from '$lib/server/surveys/refusals';
import { listInstruments } from '$lib/server/surveys/fieldwork';
import { editNewest, newestVersion, publishVersion } from '$lib/server/surveys/instruments';
import { mayChangeInstrument } from '$lib/server/surveys/permissions';
import { instrumentUnits } from '$lib/server/surveys/scope';
import { addQuestion, moveQuestion, removeQuestion, type EditResult } from '$lib/surveys/edit';
import { CODE_PATTERN, QUESTION_TYPES, type InstrumentSpec } from '$lib/surveys/spec';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function instrument(idParam: string) {
	const id = asId(idParam);
	const found =
		id === null ? undefined : (await listInstruments(await getDb())).find((i) => i.id === id);
	if (!found) throw refuseSurvey('not_found');
	return found;
}

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const found = await loaded(instrument(event.params.id));
	const db = await getDb();
	const newest = (await newestVersion(db, found.id))!;
	return {
		instrument: found,
		canChange: mayChangeInstrument(user.grants, await instrumentUnits(db, found.id)),
		newest: { version: newest.version, status: newest.status, sections: newest.spec.sections }
	};
};

/** Runs one structural edit on the newest version, from a posted form of `schema`. */
async function edit<S extends z.ZodType>(
	event: RequestEvent,
	schema: S,
	change: (spec: InstrumentSpec, input: z.infer<S>) => EditResult,
	done: (input: z.infer<S>, version: number) => string
) {
	const user = requireArea(event, 'fieldwork');
	return formStep(event.request, schema, async (input) => {
		const found = await instrument(event.params.id);
		const db = await getDb();
		if (!mayChangeInstrument(user.grants, await instrumentUnits(db, found.id)))
			throw refuseSurvey('read_only');
		const outcome = await editNewest(db, found.id, (spec) => change(spec, input), user.id);
		if ('error' in outcome) throw invalidInput({}, () => outcome.error);
		if ('problems' in outcome) {
			const { problems } = outcome;
			throw invalidInput({}, () => [m.fw_spec_invalid(), ...problems].join(' '));
		}
		return { done: done(input, outcome.saved.version) };
	});
}

// built per request, so that the messages are in the request's language
const questionCode = () => z.object({ code: z.string().max(40, m.error_invalid_request()) });

export const actions: Actions = {
	publish: async (event) => {
		const user = requireArea(event, 'fieldwork');
		return formStep(event.request, z.object({}), async () => {
			const found = await instrument(event.params.id);
			const db = await getDb();
			if (!mayChangeInstrument(user.grants, await instrumentUnits(db, found.id)))
				throw refuseSurvey('read_only');
			const draft = found.versions.find((v) => v.status === 'draft');
			if (!draft || !(await publishVersion(db, draft.id, user.id)))
				throw refuseSurvey('publish_state');
			return { done: m.fw_version_published({ version: draft.version }) };
		});
	},
	add: (event) =>
		edit(
			event,
			z.object({
				part: z.string().max(40, m.error_invalid_request()),
				code: z.string().trim().regex(CODE_PATTERN, m.fw_q_code_invalid()),
				type: z.enum(QUESTION_TYPES, m.error_invalid_request())
			}),
			(spec, { part, code, type }) => addQuestion(spec, part, code, type),
			({ code }, version) => m.fw_q_added({ code, version })
		),
	up: (event) =>
		edit(
			event,
			questionCode(),
			(spec, { code }) => moveQuestion(spec, code, -1),
			(_, version) => m.fw_q_changed({ version })
		),
	down: (event) =>
		edit(
			event,
			questionCode(),
			(spec, { code }) => moveQuestion(spec, code, 1),
			(_, version) => m.fw_q_changed({ version })
		),
	remove: (event) =>
		edit(
			event,
			questionCode(),
			(spec, { code }) => removeQuestion(spec, code),
			(_, version) => m.fw_q_changed({ version })
		)
};
