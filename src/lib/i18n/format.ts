/** Formatting in the language of the page, for every feature: names, dates, percentages, choices. */
import { getLocale } from '$lib/paraglide/runtime';

/** A name kept in both languages, in the language of the page. */
export const local = (vi: string, en: string | null | undefined): string =>
	getLocale() === 'en' && en ? en : vi;

/**
 * The language of what `local` shows: 'vi' when an English page falls back to the Vietnamese name,
 * so screen readers and translators know (`<span lang={localLang(en)}>{local(vi, en)}</span>`).
 */
export const localLang = (en: string | null | undefined): 'vi' | undefined =>
	getLocale() === 'en' && !en ? 'vi' : undefined;

/**
 * A message cut around one of its values, so the value can be marked up (`<span lang="vi">`):
 * `around((p) => m.home_province({ province: p }))` is ['Deployed for: ', ''].
 */
export function around(message: (slot: string) => string): [string, string] {
	const slot = '\u0000';
	const text = message(slot);
	const at = text.indexOf(slot);
	return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + slot.length)];
}

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
const monthNames = new Map<string, Intl.DateTimeFormat>();
const percentFormats = new Map<string, Intl.NumberFormat>();

/** Dates and times are read in Vietnam's time, whatever the server's or the browser's zone. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

type DateInput = Date | string | null | undefined;

/** A calendar day ('2026-12-06') is that day in Vietnam; anything else is a moment. */
function toDate(value: Date | string): Date {
	if (typeof value !== 'string') return value;
	return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value);
}

/** Day, month, year, hours and minutes of a moment in Vietnam, two digits each (year four). */
function parts(value: Date | string): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
	const date = toDate(value);
	const made = formatter(
		dateFormats,
		() =>
			new Intl.DateTimeFormat('en-GB', {
				day: '2-digit',
				month: '2-digit',
				year: 'numeric',
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23',
				timeZone: TIME_ZONE
			})
	);
	const found = { day: '', month: '', year: '', hour: '', minute: '' };
	for (const p of made.formatToParts(date))
		if (p.type in found) found[p.type as keyof typeof found] = p.value;
	return found;
}

const valid = (value: DateInput): value is Date | string =>
	!!value && !Number.isNaN(toDate(value).getTime());

/** A date as the administration writes it, in both languages: 06/12/2026. */
export function formatDate(value: DateInput): string {
	if (!valid(value)) return '';
	const p = parts(value);
	return `${p.day}/${p.month}/${p.year}`;
}

/** A moment: "14:05 06/12/2026" in Vietnamese, "06/12/2026 14:05" in English. */
export function formatDateTime(value: DateInput): string {
	if (!valid(value)) return '';
	const p = parts(value);
	const time = `${p.hour}:${p.minute}`;
	const date = `${p.day}/${p.month}/${p.year}`;
	return getLocale() === 'vi' ? `${time} ${date}` : `${date} ${time}`;
}

/**
 * The date of a printed document: "ngày 06 tháng 12 năm 2026", "6 December 2026". Decree 30/2020
 * writes a day below 10 and the months 1 and 2 with a leading zero ("ngày 05 tháng 02", but
 * "tháng 3").
 */
export function formatDocumentDate(value: DateInput, locale: string = getLocale()): string {
	if (!valid(value)) return '';
	const p = parts(value);
	if (locale === 'vi') {
		const month = Number(p.month) <= 2 ? p.month : String(Number(p.month));
		return `ngày ${p.day} tháng ${month} năm ${p.year}`;
	}
	const month = formatter(
		monthNames,
		() => new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: TIME_ZONE })
	).format(toDate(value));
	return `${Number(p.day)} ${month} ${p.year}`;
}

const roman = ['I', 'II', 'III', 'IV'];

/**
 * A reporting period as people say it: '2026-Q3' is "Quý III/2026" (Q3 2026), '2026-H1' is
 * "6 tháng đầu năm 2026" (first half of 2026), '2026' is "Năm 2026" (2026). Any other text is
 * shown as it is. A document in one language whatever the page's (a feed) names its locale.
 */
export function formatPeriod(
	period: string | null | undefined,
	locale: string = getLocale()
): string {
	if (!period) return '';
	const match = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/.exec(period);
	if (!match) return period;
	const [, year, part] = match;
	const vi = locale === 'vi';
	if (!part) return vi ? `Năm ${year}` : year!;
	const n = Number(part.slice(1));
	if (part[0] === 'Q') return vi ? `Quý ${roman[n - 1]}/${year}` : `Q${n} ${year}`;
	if (n === 1) return vi ? `6 tháng đầu năm ${year}` : `first half of ${year}`;
	return vi ? `6 tháng cuối năm ${year}` : `second half of ${year}`;
}

/** The machine form of a date or moment for `<time datetime>`: '2026-12-06' stays a day. */
export function isoDateTime(value: Date | string): string {
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
	return toDate(value).toISOString();
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
): { value: string; label: string; lang: 'vi' | undefined }[] =>
	list.map((c) => ({ value: c.value, label: local(c.vi, c.en), lang: localLang(c.en) }));
