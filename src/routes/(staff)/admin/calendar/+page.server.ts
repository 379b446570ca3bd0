import { z } from 'zod';
import { isIsoDate } from '$lib/deadlines/working-days';
import { m } from '$lib/paraglide/messages';
import { formatDate } from '$lib/i18n/format';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { calendarYear, markDay, unmarkDay } from '$lib/server/deadlines/calendar';
import { formStep, loaded } from '$lib/server/forms/step';
import type { Actions, PageServerLoad } from './$types';

const date = () =>
	z
		.string({ error: () => m.cal_date_invalid() })
		.trim()
		.refine(isIsoDate, { error: () => m.cal_date_invalid() });

const markSchema = z.object({
	day: date(),
	working: z.enum(['off', 'working'], { error: () => m.error_required() }),
	reasonVi: z
		.string({ error: () => m.error_required() })
		.trim()
		.min(1, { error: () => m.error_required() })
		.max(200, { error: () => m.common_error_too_long({ max: 200 }) }),
	reasonEn: z
		.string()
		.trim()
		.max(200, { error: () => m.common_error_too_long({ max: 200 }) })
		.default('')
});

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	const asked = Number(event.url.searchParams.get('year'));
	const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : 2026;
	return { year, days: await loaded(calendarYear(await getDb(), year)) };
};

export const actions: Actions = {
	mark: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, markSchema, async ({ day, working, reasonVi, reasonEn }) => {
			const workingDay = working === 'working';
			await markDay(
				await getDb(),
				{ day, working: workingDay, reasonVi, reasonEn: reasonEn || reasonVi },
				actor.id
			);
			const said = { day: formatDate(day), reason: reasonVi };
			return { done: workingDay ? m.cal_marked_working(said) : m.cal_marked_off(said) };
		});
	},

	unmark: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, z.object({ day: date() }), async ({ day }) => {
			await unmarkDay(await getDb(), day, actor.id);
			return { done: m.cal_removed({ day: formatDate(day) }) };
		});
	}
};
