/**
 * Pieces of an administrative document as Decree 30/2020/NĐ-CP sets them out (a plan's printed
 * report). Pure. Always Vietnamese: the document is, whatever the page's language.
 */

/** The place in the place-and-date line: the province's name without "Tỉnh"/"Thành phố". */
export function placeName(unitName: string): string {
	return unitName.replace(/^(Tỉnh|Thành phố|Thủ đô)\s+/u, '');
}
