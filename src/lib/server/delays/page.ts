import { z } from 'zod';
import type { Staff } from '$lib/auth/access';
import { vietnamDate } from '$lib/deadlines/working-days';
import { closedMonths, monthLabel, readMonth } from '$lib/delays/list';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Db } from '../db';
import { delayListAgencies } from './permissions';
import { heldDisclosure, previewDelayList } from './prepare';

/** The agency and month of a delay list, from the page's query or its prepare form. */
export const delayListSchema = z.object({
	agency: z.coerce
		.number({ error: () => m.delays_error_agency() })
		.int({ error: () => m.delays_error_agency() })
		.positive({ error: () => m.delays_error_agency() }),
	month: z.string({ error: () => m.delays_error_month() }).transform((text, ctx) => {
		const month = readMonth(text);
		if (!month) ctx.addIssue({ code: 'custom', message: m.delays_error_month() });
		return month ?? '';
	})
});

/**
 * The page's data: the agencies and closed months to choose from and, once both are chosen (in
 * the query, so the preview is a link and works without JavaScript), the list as it stands and
 * the disclosure it was prepared into, if any.
 */
export async function delayListPage(
	db: Db,
	staff: Staff,
	query: URLSearchParams,
	now = new Date()
) {
	const ids = delayListAgencies(staff);
	const rows = ids.length
		? await db
				.selectFrom('agency')
				.select(['id', 'name_vi', 'name_en'])
				.where('id', 'in', ids)
				.orderBy('name_vi')
				.execute()
		: [];
	const en = getLocale() === 'en';
	const agencies = rows.map((r) => ({ value: String(r.id), label: en ? r.name_en : r.name_vi }));
	const months = closedMonths(vietnamDate(now)).map((month) => ({
		value: month.slice(0, 7),
		label: monthLabel(month)
	}));
	const chosen = delayListSchema.safeParse({
		agency: query.get('agency') ?? agencies[0]?.value,
		month: query.get('month') ?? months[0]?.value
	});
	const asked = query.has('agency') && query.has('month');
	if (!asked || !chosen.success) return { agencies, months, chosen: null, list: null, held: null };
	const { agency, month } = chosen.data;
	const list = await previewDelayList(db, staff, agency, month, now);
	return {
		agencies,
		months,
		chosen: { agency: String(agency), month: month.slice(0, 7), label: monthLabel(month) },
		list,
		held: (await heldDisclosure(db, agency, month)) ?? null
	};
}
