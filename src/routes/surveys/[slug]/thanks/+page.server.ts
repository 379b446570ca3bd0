import { publicWave } from '$lib/server/surveys/public';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const wave = await publicWave(params.slug);
	const receipt = url.searchParams.get('receipt') ?? '';
	return {
		wave: { slug: wave.slug, title: wave.title },
		receipt: /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(receipt) ? receipt : null
	};
};
