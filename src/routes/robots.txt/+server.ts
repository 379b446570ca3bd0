import type { RequestHandler } from './$types';

// Staff areas, sign-in and the askers' private links are not for search engines.
const DISALLOWED = [
	'/admin',
	'/officials',
	'/analytics',
	'/fieldwork',
	'/staff',
	'/sign-in',
	'/questions/track',
	'/questions/stop'
];

/** A route rather than a static file, so that the sitemap's address carries this site's origin. */
export const GET: RequestHandler = ({ url }) =>
	new Response(
		[
			'User-agent: *',
			...DISALLOWED.map((path) => `Disallow: ${path}`),
			'',
			`Sitemap: ${url.origin}/sitemap.xml`,
			''
		].join('\n'),
		{
			headers: {
				'content-type': 'text/plain; charset=utf-8',
				'cache-control': 'public, max-age=3600'
			}
		}
	);
