import { getDb } from '$lib/server/db';
import { listWaves } from '$lib/server/surveys/waves';
import { pagesOf } from '$lib/surveys/answers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const waves = await listWaves(await getDb(), 'open');
	return {
		waves: waves.map((w) => ({
			slug: w.slug,
			title: w.title,
			description: w.description,
			closesOn: w.closesOn,
			minutes: w.spec.estimatedMinutes,
			sections: w.layout === 'single' ? 1 : new Set(pagesOf(w.spec).map((p) => p.section.code)).size
		}))
	};
};
