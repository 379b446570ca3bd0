import { getDb } from '$lib/server/db';
import { listDisclosures } from '$lib/server/disclosures/public';
import { atomFeed } from '$lib/server/feeds/atom';
import type { RequestHandler } from './$types';

/** Newly published versions of disclosures, as Atom. */
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
		title: 'Civic Voice — Công khai',
		self: `${url.origin}/disclosures/feed.xml`,
		entries: rows.map((d) => ({
			id: `${url.origin}/disclosures/${d.id}#v${d.version}`,
			title: d.status === 'withdrawn' ? `[Đã thu hồi] ${d.title}` : d.title,
			link: `${url.origin}/disclosures/${d.id}`,
			updated: d.updatedAt!,
			author: d.agencyVi,
			summary: `${d.typeVi} · ${d.unit}${d.period ? ` · ${d.period}` : ''}\n\n${d.summary}`
		}))
	});
	return new Response(xml, {
		headers: {
			'content-type': 'application/atom+xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
};
