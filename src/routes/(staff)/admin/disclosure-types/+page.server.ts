import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { disclosureTypes } from '$lib/server/disclosures/public';
import { addDisclosureType } from '$lib/server/disclosures/types';
import { echoValues, parseForm, readForm } from '$lib/server/forms/parse';
import type { Actions, PageServerLoad } from './$types';

const text = (max: number) =>
	z
		.string({ error: () => m.error_required() })
		.trim()
		.min(1, { error: () => m.error_required() })
		.max(max, { error: () => m.common_error_too_long({ max }) });
const days = (max: number) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? Number(v) : null))
		.refine((v) => v === null || (Number.isInteger(v) && v >= 0 && v <= max), {
			error: () => m.dc_error_days({ max })
		});

const typeSchema = z
	.object({
		code: z
			.string()
			.trim()
			.regex(/^[a-z0-9-]{2,60}$/, { error: () => m.dc_error_code() }),
		nameVi: text(200),
		nameEn: text(200),
		basisVi: text(300),
		basisEn: text(300),
		unitLevel: z.enum(['province', 'commune', 'any'], { error: () => m.error_required() }),
		frequency: z.enum(['once', 'yearly', 'quarterly', 'on_change'], {
			error: () => m.error_required()
		}),
		dueFrom: z
			.enum(['start', 'end', ''])
			.default('')
			.transform((v) => v || null),
		dueDays: days(730),
		displayDays: days(3650),
		personalData: z.literal('yes').optional()
	})
	.superRefine((t, ctx) => {
		const scheduled = t.frequency === 'yearly' || t.frequency === 'quarterly';
		if (scheduled && (t.dueFrom === null || t.dueDays === null))
			ctx.addIssue({ code: 'custom', path: ['dueDays'], message: m.dc_error_schedule() });
		if (!scheduled && (t.dueFrom !== null || t.dueDays !== null))
			ctx.addIssue({ code: 'custom', path: ['dueDays'], message: m.dc_error_no_schedule() });
		if (t.displayDays === 0)
			ctx.addIssue({
				code: 'custom',
				path: ['displayDays'],
				message: m.dc_error_days({ max: 3650 })
			});
	});

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	return { types: await disclosureTypes(await getDb()) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireArea(event, 'admin');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(typeSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const t = parsed.data;
		const added = await addDisclosureType(
			await getDb(),
			{ ...t, personalData: t.personalData === 'yes' },
			actor.id
		);
		if (!added)
			return fail(409, {
				values: echoValues(form),
				errors: { code: m.dc_error_code_taken() }
			});
		return { done: true };
	}
};
