import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { currentMonth, isMonth } from '$lib/service-index/figures';
import type { Db } from '../db';
import { archiveMonths, publishedMonth } from './archive';

/** The public page of the month in progress (provisional), with the list of closed months. */
export async function currentPage(db: Db, now = new Date()) {
	const [published, months] = await Promise.all([
		publishedMonth(db, currentMonth(now), now),
		archiveMonths(db, now)
	]);
	return { published: published!, months };
}

/** The public page of one month (YYYY-MM): a malformed month or one not yet begun is a 404. */
export async function monthPage(db: Db, month: string, now = new Date()) {
	if (!isMonth(month)) error(404, { message: m.service_index_bad_month() });
	const published = await publishedMonth(db, month, now);
	if (!published) error(404, { message: m.service_index_future_month() });
	return { published };
}
