/**
 * Accent-insensitive Vietnamese search without a database extension: the text to search and the
 * query are both folded the same way here (lower case, diacritics dropped, đ -> d), and
 * PostgreSQL's 'simple' text-search configuration indexes the folded words. So "thu tuc dat dai"
 * finds "thủ tục đất đai", on PGlite and PostgreSQL alike.
 */
export function foldVietnamese(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

const MAX_TERMS = 12;

/** The words of a search box, folded; at most a dozen, each only letters and digits. */
export function searchTerms(query: string): string[] {
	const words = foldVietnamese(query.slice(0, 500))
		.split(' ')
		.filter((w) => w.length > 0 && w.length <= 40);
	return [...new Set(words)].slice(0, MAX_TERMS);
}

/**
 * A tsquery text for `to_tsquery('simple', …)`: every word must match ('all') or any word may
 * ('any', ranked by how many do). The last word matches as a prefix, for search-as-you-type.
 * Safe to pass as a parameter: terms hold only letters and digits.
 */
export function tsQuery(terms: readonly string[], mode: 'all' | 'any'): string | null {
	if (terms.length === 0) return null;
	const parts = terms.map((t, i) => (i === terms.length - 1 ? `${t}:*` : t));
	return parts.join(mode === 'all' ? ' & ' : ' | ');
}
