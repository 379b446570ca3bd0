/**
 * Which caches may keep a response. `no-store` also keeps a page out of the browser's
 * back/forward cache, so a phone going back to a list of questions would load it again: it is
 * kept for what is personal, and public pages get `private, no-cache` instead (every rendered
 * page carries a CSP nonce of its own, so no shared cache may keep it, and the browser asks again
 * before reusing it, but may show it again on Back).
 *
 * Personal: anything seen by a signed-in official; a request carrying a cookie other than the
 * language's (a survey's resume code), or a response setting one; and the routes whose address is
 * a visitor's key (a question's tracking or stop token, a survey receipt, a draft's pages, a
 * counter's kiosk link). A route that
 * sets its own cache-control otherwise keeps it.
 */
export const PRIVATE = 'private, no-store';
export const PUBLIC_PAGE = 'private, no-cache';

const PERSONAL_ROUTES = [
	/^\/questions\/track\//,
	/^\/questions\/stop\//,
	/^\/kiosk\//,
	/^\/surveys\/\[slug\]\/(thanks|step|review)(\/|$)/,
	// a dossier's rating page: the QR code's address carries the dossier code
	/^\/danh-gia(\/|$)/
];

export type CacheFacts = {
	routeId: string | null;
	signedIn: boolean;
	/** the request carries a cookie other than the language's */
	personalCookie: boolean;
	setsCookie: boolean;
	/** the cache-control the route set, if any */
	current: string | null;
};

export function cacheControlFor(facts: CacheFacts): string {
	if (
		facts.signedIn ||
		facts.personalCookie ||
		facts.setsCookie ||
		(facts.routeId !== null && PERSONAL_ROUTES.some((r) => r.test(facts.routeId!)))
	)
		return PRIVATE;
	return facts.current ?? PUBLIC_PAGE;
}
