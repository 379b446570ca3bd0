import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { markdownToText } from '$lib/server/markdown';
import { recentAnswers } from '$lib/server/questions/public';
import { atomFeed } from '$lib/server/feeds/atom';
import type { RequestHandler } from './$types';

/** Newly published answers, as Atom. Public text only: never a name or a contact. */
export const GET: RequestHandler = async ({ url }) => {
	const answers = await recentAnswers(await getDb());
	const xml = atomFeed({
		id: `${url.origin}/questions`,
		title: `${m.site_name({}, { locale: 'vi' })} — ${m.qa_title({}, { locale: 'vi' })}`,
		self: `${url.origin}/questions/feed.xml`,
		entries: answers.map((a) => ({
			id: `${url.origin}/questions/${a.code}#reply-${a.id}`,
			title: a.title,
			link: `${url.origin}/questions/${a.code}`,
			updated: a.publishedAt!,
			author: a.agencyVi,
			summary: `${a.body}\n\n— ${a.agencyVi}:\n${markdownToText(a.bodyMd)}`
		}))
	});
	return new Response(xml, {
		headers: {
			'content-type': 'application/atom+xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
};
