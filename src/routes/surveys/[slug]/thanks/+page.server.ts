import { allowPageCache } from '$lib/server/http/page-cache';
import { publicWave } from '$lib/server/surveys/public';
import type { PageServerLoad } from './$types';

/** The receipt an address shows: the only parameter, in the receipt's shape. */
function receiptOf(url: URL): string | null {
	const receipt = url.searchParams.get('receipt') ?? '';
	return [...url.searchParams.keys()].length === 1 &&
		/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(receipt)
		? receipt
		: null;
}

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const wave = await publicWave(params.slug);
	const receipt = receiptOf(url);
	// the page is the same for everyone but the receipt in its address
	if (receipt) allowPageCache(locals, receipt, receiptOf);
	return { wave: { slug: wave.slug, title: wave.title, closesOn: wave.closesOn }, receipt };
};
