/** Formatting in the language of the page, for every feature: names, dates, percentages, choices. */
import { getLocale } from '$lib/paraglide/runtime';

/** A name kept in both languages, in the language of the page. */
export const local = (vi: string, en: string | null | undefined): string =>
	getLocale() === 'en' && en ? en : vi;

/**
 * One formatter per locale, made on first use: building an Intl formatter costs far more than
 * formatting with it, and a list page formats a date on every row.
 */
function formatter<F>(cache: Map<string, F>, make: () => F): F {
	const locale = getLocale();
	const cached = cache.get(locale);
	if (cached) return cached;
	const made = make();
	cache.set(locale, made);
	return made;
}
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const percentFormats = new Map<string, Intl.NumberFormat>();

export function formatDate(value: Date | string | null | undefined): string {
	if (!value) return '';
	const date =
		typeof value === 'string'
			? new Date(value.length === 10 ? `${value}T00:00:00+07:00` : value)
			: value;
	return formatter(
		dateFormats,
		() =>
			new Intl.DateTimeFormat(getLocale() === 'vi' ? 'vi-VN' : 'en-GB', {
				dateStyle: 'medium',
				timeZone: 'Asia/Ho_Chi_Minh'
			})
	).format(date);
}

export const percent = (ratio: number | null): string =>
	ratio === null
		? '—'
		: formatter(
				percentFormats,
				() =>
					new Intl.NumberFormat(getLocale() === 'vi' ? 'vi-VN' : 'en-GB', {
						style: 'percent',
						maximumFractionDigits: 1
					})
			).format(ratio);

/** Bilingual choices (`{ value, vi, en }`) as select options in the language of the page. */
export const localChoices = (
	list: readonly { value: string; vi: string; en: string | null }[]
): { value: string; label: string }[] =>
	list.map((c) => ({ value: c.value, label: local(c.vi, c.en) }));
