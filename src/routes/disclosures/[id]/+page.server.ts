import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { chartable, type DataTable } from '$lib/disclosures/table';
import { getDb } from '$lib/server/db';
import { idParam } from '$lib/server/http/params';
import { publicDisclosure } from '$lib/server/disclosures/public';
import { renderMarkdown } from '$lib/server/markdown';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const id = idParam(params.id);
	const d = await publicDisclosure(await getDb(), id);
	if (!d) error(404, { message: m.error_not_found() });
	// lists of poor households and the like: published for the people concerned, not for indexing
	if (d.personalData) setHeaders({ 'x-robots-tag': 'noindex, nofollow, noarchive' });
	return {
		disclosure: {
			...d,
			hideAfter: d.hideAfter ? String(d.hideAfter).slice(0, 10) : null,
			versions: d.versions.map((v) => ({
				...v,
				html: renderMarkdown(v.bodyMd),
				files: v.files.map((f) => {
					const table = f.table ? (JSON.parse(f.table) as DataTable) : null;
					return { ...f, table, chart: table ? chartable(table) : null };
				})
			}))
		}
	};
};
