import { formatDateTime } from '$lib/i18n/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { Estimate } from './estimates';

/** How a measure's value is rounded: a share as a percentage with one decimal, a score with two. */
const digits = (range: number): Intl.NumberFormatOptions =>
	range === 1
		? { style: 'percent', maximumFractionDigits: 1 }
		: { maximumFractionDigits: 2, minimumFractionDigits: 2 };

/** A measure's value as people read it: a share as a percentage, a score with two decimals. */
export function formatValue(value: number, range: number): string {
	const locale = getLocale() === 'vi' ? 'vi-VN' : 'en-GB';
	return new Intl.NumberFormat(locale, digits(range)).format(value);
}

/** The 95% interval as shown: kept within the measure's scale, or none when it is unknown. */
export function shownInterval(result: Estimate, range: number): [number, number] | null {
	return Number.isFinite(result.low) && Number.isFinite(result.high)
		? [Math.max(0, result.low), Math.min(range, result.high)]
		: null;
}

/** A moment as people read it, in Vietnam's time: "14:05 06/12/2026". */
export const formatMoment = (value: Date): string => formatDateTime(value);

/** A design effect as people read it, with two decimals. */
export function formatDeff(deff: number): string {
	return new Intl.NumberFormat(getLocale() === 'vi' ? 'vi-VN' : 'en-GB', {
		maximumFractionDigits: 2,
		minimumFractionDigits: 2
	}).format(deff);
}
