/**
 * How long to wait, for a person: whole seconds under a minute, else whole minutes (rounded up,
 * so the wait is never longer than said), in the words of the page's language.
 */
export function formatWait(seconds: number, locale: string): string {
	const [value, unit] =
		seconds < 60
			? [Math.max(1, Math.ceil(seconds)), 'second']
			: [Math.ceil(seconds / 60), 'minute'];
	return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
