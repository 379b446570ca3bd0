import { getLocale } from '$lib/paraglide/runtime';

/** A measure's value as people read it: a share as a percentage, a score with two decimals. */
export function formatValue(value: number, range: number): string {
	const locale = getLocale() === 'vi' ? 'vi-VN' : 'en-GB';
	return range === 1
		? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value)
		: new Intl.NumberFormat(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(
				value
			);
}
