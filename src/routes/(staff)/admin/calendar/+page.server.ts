import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { isIsoDate } from '$lib/deadlines/working-days';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { calendarYear, markDay, unmarkDay } from '$lib/server/deadlines/calendar';
import { parseForm, readForm } from '$lib/server/forms/parse';
import type { Actions, PageServerLoad } from './$types';

const date = () =>
	z
		.string()
		.trim()
		.refine(isIsoDate, { error: () => m.cal_date_invalid() });

const markSchema = z.object({
	day: date(),
	working: z.enum(['off', 'working'], { error: () => m.error_required() }),
	reasonVi: z
		.string()
		.trim()
		.min(1, { error: () => m.error_required() })
		.max(200),
	reasonEn: z.string().trim().max(200).default('')
});

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	const asked = Number(event.url.searchParams.get('year'));
	const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : 2026;
	return { year, days: await calendarYear(await getDb(), year) };
};

export const actions: Actions = {
	mark: async (event) => {
		const actor = requireArea(event, 'admin');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(markSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const { day, working, reasonVi, reasonEn } = parsed.data;
		await markDay(
			await getDb(),
			{ day, working: working === 'working', reasonVi, reasonEn: reasonEn || reasonVi },
			actor.id
		);
		return { done: m.cal_saved({ day }) };
	},

	unmark: async (event) => {
		const actor = requireArea(event, 'admin');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const day = String(form.get('day') ?? '');
		if (!isIsoDate(day))
			return fail(400, { values: {}, errors: {}, message: m.error_invalid_request() });
		await unmarkDay(await getDb(), day, actor.id);
		return { done: m.cal_removed({ day }) };
	}
};
