import { z } from 'zod';

/**
 * The query strings of the long staff and public lists (moderation queue, disclosures,
 * compliance, audit log, accounts): search, filters, sort and page, read from the address with
 * zod. Pure. A malformed or unknown value never fails a page: it falls back to its default.
 */

/** Rows on one page of a list. */
export const PAGE_SIZE = 25;
/** The last page anyone may ask for; further pages clamp to it. */
export const MAX_PAGE = 10_000;

/** Free text of a search box; too long falls back to no search. */
export const searchParam = z.string().trim().max(200).catch('').default('');
/** A database id (serial); anything else means "any". */
export const idParam = z.coerce
	.number()
	.int()
	.positive()
	.max(2_147_483_647)
	.optional()
	.catch(undefined);
/** A short code (a topic, a type, an action); anything else means "any". */
export const codeParam = z
	.string()
	.max(60)
	.regex(/^[a-z0-9_.-]+$/i)
	.optional()
	.catch(undefined);
/** A calendar date, yyyy-mm-dd, as a date input sends it. */
export const dateParam = z.iso.date().optional().catch(undefined);
/** A checkbox: present means on. */
export const flagParam = z
	.string()
	.optional()
	.transform((v) => v !== undefined)
	.catch(false);
/** One of a fixed set, or undefined. */
export const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
	z.enum(values).optional().catch(undefined);
/** One of a fixed set, or the first one. */
export const sortParam = <T extends string>(values: readonly [T, ...T[]]) =>
	z.enum(values).catch(values[0]).default(values[0]);
export const pageParam = z.coerce.number().int().min(1).catch(1).default(1);

/**
 * The list's parameters from the address: empty values count as absent, a repeated one takes
 * its first value, and the page is clamped to 1..MAX_PAGE.
 */
export function parseList<S extends z.ZodRawShape>(shape: S, params: URLSearchParams) {
	const raw: Record<string, string> = {};
	for (const [k, v] of params) if (v !== '' && !(k in raw)) raw[k] = v;
	const parsed = z.object({ ...shape, page: pageParam }).parse(raw) as z.infer<z.ZodObject<S>> & {
		page: number;
	};
	return { ...parsed, page: Math.min(parsed.page, MAX_PAGE) };
}

/** How many pages `total` rows fill (at least one, so "page 1 of 1" reads right when empty). */
export const pageCount = (total: number, size = PAGE_SIZE) => Math.max(1, Math.ceil(total / size));

/** The rows to skip for a page. */
export const pageOffset = (page: number, size = PAGE_SIZE) => (page - 1) * size;

/** One page of an array already filtered in memory, with the page clamped to the last one. */
export function pageOf<T>(rows: readonly T[], page: number, size = PAGE_SIZE) {
	const pages = pageCount(rows.length, size);
	const current = Math.min(page, pages);
	return {
		rows: rows.slice(pageOffset(current, size), pageOffset(current, size) + size),
		total: rows.length,
		page: current,
		pages
	};
}

/** Whether any filter besides the page, the sort and the search is set (the filters open). */
export function filtersActive(
	filter: Record<string, unknown>,
	ignore: readonly string[] = ['page', 'sort', 'q']
): boolean {
	return Object.entries(filter).some(
		([k, v]) => !ignore.includes(k) && v !== undefined && v !== null && v !== '' && v !== false
	);
}
