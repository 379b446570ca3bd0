import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { echoValues, parseForm, readForm } from '$lib/server/forms/parse';
import { currentUnitsByCode, listInstruments } from '$lib/server/surveys/fieldwork';
import { fieldworkScope, outsideScope } from '$lib/server/surveys/scope';
import { createWave } from '$lib/server/surveys/waves';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'fieldwork');
	const instruments = await listInstruments(await getDb());
	return {
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
	units: z.string({ error: required }).trim().min(1, { error: required }).max(2000),
	closesOn: z.union([z.literal(''), z.iso.date()]).optional(),
	target: z.union([z.literal(''), z.coerce.number().int().min(1).max(10_000_000)]).optional()
});

export const actions: Actions = {
	default: async (event) => {
		const user = requireArea(event, 'fieldwork');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(waveForm, form);
		if ('failure' in parsed) return parsed.failure;
		const d = parsed.data;
		const db = await getDb();
		const codes = [...new Set(d.units.split(/[\s,;]+/).filter(Boolean))];
		const units = await currentUnitsByCode(db, codes);
		if (units.unknown.length) {
			return fail(400, {
				values: echoValues(form),
				errors: { units: m.fw_units_unknown({ codes: units.unknown.join(', ') }) }
			});
		}
		const outside = await outsideScope(db, fieldworkScope(user.grants), units.ids);
		if (outside.length) {
			const names = await db
				.selectFrom('admin_unit')
				.select('code')
				.where('id', 'in', outside)
				.execute();
			return fail(403, {
				values: echoValues(form),
				errors: { units: m.fw_units_out_of_scope({ codes: names.map((n) => n.code).join(', ') }) }
			});
		}
		const taken = await db
			.selectFrom('survey_wave')
			.select('id')
			.where('slug', '=', d.slug)
			.executeTakeFirst();
		if (taken) return fail(400, { values: echoValues(form), errors: { slug: m.fw_slug_taken() } });
		const version = await db
			.selectFrom('instrument_version')
			.select('status')
			.where('id', '=', d.versionId)
			.executeTakeFirst();
		if (version?.status !== 'published')
			return fail(400, {
				values: echoValues(form),
				errors: { versionId: m.error_invalid_request() }
			});
		const id = await createWave(
			db,
			{
				slug: d.slug,
				versionId: d.versionId,
				title: { vi: d.titleVi, en: d.titleEn },
				layout: d.layout,
				accessMode: d.accessMode,
				unitIds: units.ids,
				closesOn: d.closesOn || null,
				targetResponses: d.target === '' || d.target === undefined ? null : d.target
			},
			user.id
		);
		redirect(303, `/fieldwork/waves/${id}`);
	}
};
