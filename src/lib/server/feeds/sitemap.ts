import type { Db } from '../db';
import { publishedWaves } from '../analytics/waves';
import { indexableDisclosureDates } from '../disclosures/public';
import { publicPlanDates } from '../plans/results';
import { publicQuestionDates } from '../questions/public';
import { escapeXmlText } from './atom';

/** The sitemaps protocol's limit for one file; past it the newest items are kept. */
export const MAX_SITEMAP_URLS = 50_000;

/** The public pages that are not items (staff areas and private links stay out). */
const PAGES = [
	'/',
	'/surveys',
	'/questions',
	'/questions/ask',
	'/questions/stats',
	'/service-quality',
	'/disclosures',
	'/disclosures/compliance',
	'/plans',
	'/results',
	'/license'
];

export type SitemapEntry = { path: string; lastmod?: Date | string | null };

/** The main pages, then public plans, survey results, published disclosures and public questions. */
export async function sitemapEntries(db: Db, max = MAX_SITEMAP_URLS): Promise<SitemapEntry[]> {
	const entries: SitemapEntry[] = PAGES.slice(0, max).map((path) => ({ path }));
	const room = () => max - entries.length;
	if (room() > 0)
		for (const p of await publicPlanDates(db, room()))
			entries.push({ path: `/plans/${p.id}`, lastmod: p.changedAt });
	if (room() > 0)
		for (const w of (await publishedWaves(db)).slice(0, room()))
			entries.push({ path: `/results/${w.id}`, lastmod: w.snapshotAt });
	if (room() > 0)
		for (const d of await indexableDisclosureDates(db, room()))
			entries.push({ path: `/disclosures/${d.id}`, lastmod: d.changedAt });
	if (room() > 0)
		for (const q of await publicQuestionDates(db, room()))
			entries.push({ path: `/questions/${encodeURIComponent(q.code)}`, lastmod: q.changedAt });
	return entries;
}

/** A sitemaps.org urlset with absolute addresses on `origin`. */
export function sitemapXml(origin: string, entries: readonly SitemapEntry[]): string {
	const urls = entries.map(({ path, lastmod }) => {
		const loc = `<loc>${escapeXmlText(origin + path)}</loc>`;
		return lastmod
			? `\t<url>${loc}<lastmod>${new Date(lastmod).toISOString()}</lastmod></url>`
			: `\t<url>${loc}</url>`;
	});
	return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}
