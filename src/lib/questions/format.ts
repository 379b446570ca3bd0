import { m } from '$lib/paraglide/messages';
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

const STATUS: Record<string, () => string> = {
	pending: m.qa_status_pending,
	needs_info: m.qa_status_needs_info,
	rejected: m.qa_status_rejected,
	merged: m.qa_status_merged,
	assigned: m.qa_status_assigned,
	answered: m.qa_status_answered
};

export const statusLabel = (status: string): string => STATUS[status]?.() ?? status;

const EVENTS: Record<string, () => string> = {
	received: m.qa_event_received,
	info_requested: m.qa_event_info_requested,
	info_provided: m.qa_event_info_provided,
	rejected: m.qa_event_rejected,
	merged: m.qa_event_merged,
	accepted: m.qa_event_accepted,
	routed: m.qa_event_routed,
	transferred: m.qa_event_transferred,
	published: m.qa_event_published,
	reopened: m.qa_event_reopened,
	rated: m.qa_event_rated,
	redacted: m.qa_event_redacted,
	draft_saved: m.qa_event_draft_saved,
	submitted: m.qa_event_submitted,
	returned: m.qa_event_returned,
	note: m.qa_event_note
};

export const eventLabel = (kind: string): string => EVENTS[kind]?.() ?? kind;

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
