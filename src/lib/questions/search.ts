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

/**
 * Words that say nothing about what is asked ("xin hỏi … là gì ạ"), folded. Only words that
 * rarely mean something else once their accents are gone: "co" (có, cơ quan), "dang" (đăng ký),
 * "tai" (tài sản), "bao" (bảo hiểm) and the like stay searchable.
 */
const FILLER = new Set(
	'a ai cac cua duoc em gi khi la lau minh mot nao nay neu nhe nhieu nhung oi phai ra thi toi va vao ve voi xin'.split(
		' '
	)
);

/** The synonym list as the search reads it: each folded term, and every term it stands for. */
export type SynonymIndex = { terms: Map<string, string[][]>; longest: number };

/**
 * Folds an admin's groups of equivalent terms into an index. Equivalence carries over: two groups
 * that share a term ("hộ khẩu = cư trú", "cư trú = thường trú") become one.
 */
export function synonymIndex(groups: readonly (readonly string[])[]): SynonymIndex {
	const classes: Set<string>[] = [];
	for (const group of groups) {
		const folded = new Set(group.map((t) => foldVietnamese(t)).filter((t) => t !== ''));
		const sharing = classes.filter((c) => [...folded].some((t) => c.has(t)));
		const merged = new Set([...sharing.flatMap((c) => [...c]), ...folded]);
		for (const c of sharing) classes.splice(classes.indexOf(c), 1);
		classes.push(merged);
	}
	const terms = new Map<string, string[][]>();
	let longest = 0;
	for (const c of classes) {
		if (c.size < 2) continue;
		const alternatives = [...c].map((t) => t.split(' '));
		for (const [i, term] of [...c].entries()) {
			terms.set(term, alternatives);
			longest = Math.max(longest, alternatives[i]!.length);
		}
	}
	return { terms, longest };
}

/**
 * One thing asked for: a word, or a phrase of the synonym list (`named`) with each of its
 * equivalents. `weight` is how many words of the query it stands for; `prefix` lets the last word
 * match as a prefix (search as you type).
 */
export type TermGroup = {
	alternatives: string[][];
	weight: number;
	named: boolean;
	prefix: boolean;
};

/**
 * What a search box or a question typed so far asks for: its folded words, the phrases of the
 * synonym list found among them (longest first), filler words dropped unless nothing else is left.
 * At most `maxGroups` groups, each word at most 40 letters and digits.
 */
export function queryGroups(
	text: string,
	synonyms: SynonymIndex,
	maxGroups = MAX_TERMS
): TermGroup[] {
	const words = foldVietnamese(text.slice(0, 2000))
		.split(' ')
		.filter((w) => w.length > 0 && w.length <= 40);
	const groups: TermGroup[] = [];
	const fillers: TermGroup[] = [];
	const seen = new Set<string>();
	const add = (to: TermGroup[], alternatives: string[][], weight: number, named: boolean) => {
		const key = alternatives.map((a) => a.join(' ')).join('|');
		if (seen.has(key)) return;
		seen.add(key);
		to.push({ alternatives, weight, named, prefix: false });
	};
	let i = 0;
	while (i < words.length && groups.length < maxGroups) {
		let k = Math.min(synonyms.longest, words.length - i);
		for (; k > 0; k--) {
			const same = synonyms.terms.get(words.slice(i, i + k).join(' '));
			if (same) {
				// a named thing counts as one word of two syllables, however long its wording:
				// "giấy chứng nhận quyền sử dụng đất" must not outweigh the rest of the query
				add(groups, same, Math.min(k, 2), true);
				break;
			}
		}
		if (k > 0) {
			i += k;
			continue;
		}
		const word = words[i]!;
		add(FILLER.has(word) ? fillers : groups, [[word]], 1, false);
		i++;
	}
	const result = groups.length > 0 ? groups : fillers.slice(0, maxGroups);
	const last = result.at(-1);
	// the word being typed: only when it ends the query and is not a phrase of the list
	if (last && last.alternatives.length === 1 && last.alternatives[0]!.join(' ') === words.at(-1))
		last.prefix = true;
	return result;
}

/** A group as `to_tsquery('simple', …)` text: its phrases (words joined by <->) or'ed together. */
export function groupTsQuery(g: TermGroup): string {
	const phrases = g.alternatives.map(
		(a) => a.join(' <-> ') + (g.prefix && a.length === 1 ? ':*' : '')
	);
	return phrases.length === 1 ? phrases[0]! : `(${phrases.join(' | ')})`;
}

/**
 * How much of the query's words a text must hold when it may hold only part of them: all of one or
 * two groups, otherwise more than `share` of the words.
 */
export function requiredWeight(groups: readonly TermGroup[], share: number): number {
	const total = groups.reduce((s, g) => s + g.weight, 0);
	if (groups.length <= 2) return total;
	return Math.min(total, Math.floor(total * share) + 1);
}
