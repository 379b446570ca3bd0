import type { ResolvedPathname } from '$app/types';
import { filterParams, type Filter } from './filters';

/** A resolved analytics page with the filter's query string (none when nothing is filtered). */
export function filteredHref(path: ResolvedPathname, f: Filter): ResolvedPathname {
	const query = new URLSearchParams(filterParams(f)).toString();
	return (query ? `${path}?${query}` : path) as ResolvedPathname;
}
