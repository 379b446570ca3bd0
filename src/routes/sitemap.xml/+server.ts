import { getDb } from '$lib/server/db';
import { sitemapEntries, sitemapXml } from '$lib/server/feeds/sitemap';
import type { RequestHandler } from './$types';

/** Public pages, plans, disclosures and questions for search engines; named in /robots.txt. */
export const GET: RequestHandler = async ({ url }) => {
	const xml = sitemapXml(url.origin, await sitemapEntries(await getDb()));
	return new Response(xml, {
		headers: {
			'content-type': 'application/xml; charset=utf-8',
			'cache-control': 'public, max-age=3600'
		}
	});
};
