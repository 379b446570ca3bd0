import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { echoValues, parseForm, readForm } from '$lib/server/forms/parse';
import { asId } from '$lib/server/http/params';
import { listInstruments } from '$lib/server/surveys/fieldwork';
import { editNewest, newestVersion, publishVersion } from '$lib/server/surveys/instruments';
import { mayChangeInstrument } from '$lib/server/surveys/scope';
import { addQuestion, moveQuestion, removeQuestion, type EditResult } from '$lib/surveys/edit';
import { CODE_PATTERN, QUESTION_TYPES, type InstrumentSpec } from '$lib/surveys/spec';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function instrument(idParam: string) {
	const id = asId(idParam);
	const found =
		id === null ? undefined : (await listInstruments(await getDb())).find((i) => i.id === id);
	if (!found) error(404, { message: m.error_not_found() });
	return found;
}

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const found = await instrument(event.params.id);
	const db = await getDb();
	const newest = (await newestVersion(db, found.id))!;
	return {
		instrument: found,
		canChange: await mayChangeInstrument(db, user.grants, found.id),
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
	const found = await instrument(event.params.id);
	const form = await readForm(event.request);
	if (!(form instanceof FormData)) return form;
	if (!(await mayChangeInstrument(await getDb(), user.grants, found.id)))
		return fail(403, { message: m.fw_read_only(), values: echoValues(form) });
	const parsed = parseForm(schema, form);
	if ('failure' in parsed) return parsed.failure;
	const input = parsed.data;
	const outcome = await editNewest(await getDb(), found.id, (spec) => change(spec, input), user.id);
	const values = echoValues(form);
	if ('error' in outcome) return fail(400, { message: outcome.error, values });
	if ('problems' in outcome)
		return fail(400, { message: m.fw_spec_invalid(), problems: outcome.problems, values });
	return { done: done(input, outcome.saved.version) };
}

// built per request, so that the messages are in the request's language
const questionCode = () => z.object({ code: z.string().max(40, m.error_invalid_request()) });

export const actions: Actions = {
	publish: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const found = await instrument(event.params.id);
		if (!(await mayChangeInstrument(await getDb(), user.grants, found.id)))
			return fail(403, { message: m.fw_read_only() });
		const draft = found.versions.find((v) => v.status === 'draft');
		if (!draft || !(await publishVersion(await getDb(), draft.id, user.id)))
			return fail(409, { message: m.error_invalid_request() });
		return { done: m.fw_saved() };
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
