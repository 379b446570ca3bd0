import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { invalidInput } from '$lib/server/forms/refusal';
import { formStep } from '$lib/server/forms/step';
import { refuseSurvey } from '$lib/server/surveys/refusals';
import { listInstruments, wavesInScope } from '$lib/server/surveys/fieldwork';
import { checkSpecJson, importSpec } from '$lib/server/surveys/import';
import { mayChangeInstrument } from '$lib/server/surveys/permissions';
import { instrumentBySlug, instrumentUnits } from '$lib/server/surveys/scope';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const db = await getDb();
	return {
		instruments: await listInstruments(db),
		waves: await wavesInScope(db, user),
		canChange: mayChangeInstrument(user.grants, await instrumentUnits(db, null))
	};
};

export const actions: Actions = {
	import: (event) => {
		const user = requireArea(event, 'fieldwork');
		return formStep(event.request, z.object({}), async (_, form) => {
			const db = await getDb();
			if (!mayChangeInstrument(user.grants, await instrumentUnits(db, null)))
				throw refuseSurvey('read_only');
			const file = form.get('file');
			const text = file instanceof File ? await file.slice(0, 2_000_000).text() : '';
			const checked = checkSpecJson(text);
			if ('problems' in checked)
				throw invalidInput(
					{ file: `${m.fw_json_invalid()} ${checked.problems.join('; ')}` },
					m.fw_json_invalid
				);
			// a new version of an instrument in use needs the units of its waves too
			const units = await instrumentUnits(db, await instrumentBySlug(db, checked.spec.slug));
			if (!mayChangeInstrument(user.grants, units)) throw refuseSurvey('read_only');
			const version = await importSpec(db, checked.spec, user.id);
			return { done: m.fw_imported({ version: version.version }) };
		});
	}
};
