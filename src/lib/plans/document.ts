import type { IsoDate } from '$lib/deadlines/working-days';
import { m } from '$lib/paraglide/messages';

/**
 * Pieces of an administrative document as Decree 30/2020/NĐ-CP sets them out (a plan's printed
 * report). Pure. Always Vietnamese: the document is, whatever the page's language.
 */

/**
 * "ngày 06 tháng 12 năm 2026": a day below 10 and the months 1 and 2 take a leading zero
 * (Decree 30, Appendix I), so that no one can add a digit in front.
 */
export function documentDate(day: IsoDate): string {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	return m.pl_doc_date(
		{
			day: String(date).padStart(2, '0'),
			month: month < 3 ? String(month).padStart(2, '0') : String(month),
			year
		},
		{ locale: 'vi' }
	);
}

/** The place in the place-and-date line: the province's name without "Tỉnh"/"Thành phố". */
export function placeName(unitName: string): string {
	return unitName.replace(/^(Tỉnh|Thành phố|Thủ đô)\s+/u, '');
}
