import { sql, type RawBuilder } from 'kysely';
import {
	groupTsQuery,
	queryGroups,
	requiredWeight,
	synonymIndex,
	type SynonymIndex
} from '$lib/questions/search';
import type { Db } from '../db';

/** The admins' synonym list, folded for the search (a handful of rows, read per search). */
export async function loadSynonyms(db: Db): Promise<SynonymIndex> {
	const rows = await db.selectFrom('search_synonym').select('terms').execute();
	return synonymIndex(rows.map((r) => r.terms));
}

/** What a search asks of a tsvector column: which texts match, and how well. */
export type TextSearch = {
	/** the text holds enough of the query (see requiredWeight) */
	matches: (column: string) => RawBuilder<boolean>;
	/** the share of the query found first, then PostgreSQL's ts_rank: higher is better */
	rank: (column: string) => RawBuilder<number>;
};

export type SearchOptions = {
	/** a text holding only part of the query must hold more than this share of its words */
	share?: number;
	/**
	 * 'named': a text holds every word, or (when the query names something of the synonym list)
	 * that thing and more than `share` of the words: "thoi gian cap so do" finds the question about
	 * issuing the land-use certificate that never says "thời gian", but "thu tuc ho chieu" does not
	 * find every "thủ tục" with a "hồ sơ". 'share': more than `share` of the words, and the named
	 * thing if there is one (similar questions for a whole question typed so far).
	 */
	partial?: 'named' | 'share';
	maxGroups?: number;
};

/**
 * The one search of the public pages, over the folded `search` columns: accent-insensitive,
 * with the synonym list's equivalents, ranked by how much of the query a text holds. Null when
 * the query holds no word (then nothing is filtered and lists keep their own order).
 */
export async function textSearch(
	db: Db,
	text: string,
	{ share = 0.5, partial = 'named', maxGroups }: SearchOptions = {}
): Promise<TextSearch | null> {
	if (foldedEmpty(text)) return null;
	const groups = queryGroups(text, await loadSynonyms(db), maxGroups);
	if (groups.length === 0) return null;
	const any = groups.map(groupTsQuery).join(' | ');
	const named = groups.filter((g) => g.named);
	const need =
		partial === 'named' && named.length === 0
			? groups.reduce((s, g) => s + g.weight, 0)
			: requiredWeight(groups, share);
	// the weights are small integers made here, not input: literals keep CASE's type integer
	const held = (column: string, of = groups) =>
		sql.join(
			of.map(
				(g) =>
					sql`case when ${sql.ref(column)} @@ to_tsquery('simple', ${groupTsQuery(g)}) then ${sql.lit(g.weight)} else 0 end`
			),
			sql` + `
		);
	const holdsNamed = (column: string) =>
		named.length === 0 ? sql`true` : sql`(${held(column, named)}) > 0`;
	return {
		matches: (column) =>
			sql<boolean>`(${sql.ref(column)} @@ to_tsquery('simple', ${any}) and (${held(column)}) >= ${sql.lit(need)} and ${holdsNamed(column)})`,
		rank: (column) =>
			sql<number>`(${held(column)}) + ts_rank(${sql.ref(column)}, to_tsquery('simple', ${any}), 33)`
	};
}

const foldedEmpty = (text: string) => !/[\p{L}\p{N}]/u.test(text);
