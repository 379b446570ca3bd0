/**
 * The page to go to after a form, from a `next` value that a link or a form carried: a path on
 * this site, or `fallback`. The URL parser decides, as the browser will. A browser drops tabs and
 * line breaks from an address and reads a backslash as a slash, so `/\t/evil.example` is
 * `//evil.example` to it: such characters are refused outright, and so is anything that resolves
 * to another origin or to a path a browser would read as one (`/.//evil.example`). What is kept
 * is the parser's own serialization, so non-ASCII text arrives percent-encoded and is safe in a
 * Location header.
 */
export function localPath(next: unknown, origin: string, fallback: string): string {
	if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2000) return fallback;
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f-\u009f\\]/.test(next)) return fallback;
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return fallback;
	}
	if (url.origin !== origin) return fallback;
	const path = url.pathname + url.search + url.hash;
	return path.startsWith('//') ? fallback : path;
}
