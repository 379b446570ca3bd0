import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import { unitCodeChoices } from '$lib/server/reference';
import { listInstruments, planWave } from '$lib/server/surveys/fieldwork';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'fieldwork');
	const db = await getDb();
	const [instruments, units] = await Promise.all([listInstruments(db), unitCodeChoices(db)]);
	return {
		units,
		versions: instruments.flatMap((i) =>
			i.versions
				.filter((v) => v.status === 'published')
				.map((v) => ({
					id: v.id,
					label: `${v.title.vi} — ${m.fw_version({ version: v.version })}`
				}))
		)
	};
};

const required = () => m.error_required();
const waveForm = z.object({
	slug: z
		.string({ error: required })
		.trim()
		.regex(/^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$/, { error: () => m.fw_slug_invalid() }),
	titleVi: z.string({ error: required }).trim().min(1, { error: required }).max(200),
	titleEn: z.string({ error: required }).trim().min(1, { error: required }).max(200),
	versionId: z.coerce.number({ error: required }).int().positive({ error: required }),
	layout: z.enum(['paged', 'single']),
	accessMode: z.enum(['open', 'invitation']),
	// a unit's code from the picker (a form sent by hand may still list several codes)
	units: z.string({ error: required }).trim().min(1, { error: required }).max(2000),
	closesOn: z.union([z.literal(''), z.iso.date()]).optional(),
	target: z.union([z.literal(''), z.coerce.number().int().min(1).max(10_000_000)]).optional()
});

export const actions: Actions = {
	default: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const id = await formStep(event.request, waveForm, async (d) =>
			planWave(await getDb(), user, {
				slug: d.slug,
				versionId: d.versionId,
				title: { vi: d.titleVi, en: d.titleEn },
				layout: d.layout,
				accessMode: d.accessMode,
				unitCodes: d.units,
				closesOn: d.closesOn || null,
				targetResponses: d.target === '' || d.target === undefined ? null : d.target
			})
		);
		if (typeof id !== 'number') return id;
		redirect(303, `/fieldwork/waves/${id}`);
	}
};
