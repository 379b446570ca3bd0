import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/forms/parse';
import { listInstruments } from '$lib/server/surveys/fieldwork';
import { checkSpecJson, exportSpec } from '$lib/server/surveys/import';
import { getVersion, publishVersion, saveDraft } from '$lib/server/surveys/instruments';
import type { Actions, PageServerLoad } from './$types';

async function instrument(idParam: string) {
	const id = Number(idParam);
	const found = Number.isInteger(id)
		? (await listInstruments(await getDb())).find((i) => i.id === id)
		: undefined;
	if (!found) error(404, { message: m.error_not_found() });
	return found;
}

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'fieldwork');
	const found = await instrument(event.params.id);
	const latest = (await getVersion(await getDb(), found.versions[0]!.id))!;
	return {
		instrument: found,
		latest: {
			id: latest.id,
			version: latest.version,
			status: latest.status,
			json: exportSpec(latest.spec)
		}
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const found = await instrument(event.params.id);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const text = String(form.get('spec') ?? '').slice(0, 2_000_000);
		const checked = checkSpecJson(text);
		if ('problems' in checked) return fail(400, { json: text, problems: checked.problems });
		if (checked.spec.slug !== found.slug)
			return fail(400, { json: text, problems: [`slug: ${found.slug}`] });
		const version = await saveDraft(await getDb(), found.id, checked.spec, user.id);
		return { done: m.fw_imported({ version: version.version }) };
	},
	publish: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const found = await instrument(event.params.id);
		const draft = found.versions.find((v) => v.status === 'draft');
		if (!draft || !(await publishVersion(await getDb(), draft.id, user.id)))
			return fail(409, { message: m.error_invalid_request() });
		return { done: m.fw_saved() };
	}
};
