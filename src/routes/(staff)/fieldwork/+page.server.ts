import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/forms/parse';
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
	import: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const db = await getDb();
		if (!mayChangeInstrument(user.grants, await instrumentUnits(db, null)))
			return fail(403, { message: m.fw_read_only() });
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const file = form.get('file');
		const text = file instanceof File ? await file.slice(0, 2_000_000).text() : '';
		const checked = checkSpecJson(text);
		if ('problems' in checked) return fail(400, { importProblems: checked.problems });
		// a new version of an instrument in use needs the units of its waves too
		if (
			!mayChangeInstrument(
				user.grants,
				await instrumentUnits(db, await instrumentBySlug(db, checked.spec.slug))
			)
		)
			return fail(403, { message: m.fw_read_only() });
		const version = await importSpec(db, checked.spec, user.id);
		return { done: m.fw_imported({ version: version.version }) };
	}
};
