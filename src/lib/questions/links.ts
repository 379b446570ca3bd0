import type { ResolvedPathname } from '$app/types';

/** A resolved path with a query string of the non-empty values (none when all are empty). */
export function withQuery(
	path: ResolvedPathname,
	params: Record<string, string | number | null | undefined>
): ResolvedPathname {
	const query = new URLSearchParams(
		Object.entries(params)
			.filter(([, v]) => v !== null && v !== undefined && v !== '')
			.map(([k, v]) => [k, String(v)])
	).toString();
	return (query ? `${path}?${query}` : path) as ResolvedPathname;
}
