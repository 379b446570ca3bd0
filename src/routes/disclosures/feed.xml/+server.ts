import { formatPeriod } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { listDisclosures } from '$lib/server/disclosures/public';
import { atomFeed } from '$lib/server/feeds/atom';
import type { RequestHandler } from './$types';

/** Newly published versions of disclosures, as Atom, in Vietnamese whatever the reader's language. */
const vi = { locale: 'vi' } as const;
export const GET: RequestHandler = async ({ url }) => {
	const { rows } = await listDisclosures(await getDb(), {
		q: '',
		type: null,
		unitId: null,
		period: null,
		page: 1
	});
	const xml = atomFeed({
		id: `${url.origin}/disclosures`,
		title: `${m.site_name({}, vi)} — ${m.dc_title({}, vi)}`,
		self: `${url.origin}/disclosures/feed.xml`,
		entries: rows.map((d) => ({
			id: `${url.origin}/disclosures/${d.id}#v${d.version}`,
			title: d.status === 'withdrawn' ? `[${m.dc_withdrawn({}, vi)}] ${d.title}` : d.title,
			link: `${url.origin}/disclosures/${d.id}`,
			updated: d.updatedAt!,
			author: d.agencyVi,
			summary: `${d.typeVi} · ${d.unit}${d.period ? ` · ${formatPeriod(d.period, 'vi')}` : ''}\n\n${d.summary}`
		}))
	});
	return new Response(xml, {
		headers: {
			'content-type': 'application/atom+xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
};
