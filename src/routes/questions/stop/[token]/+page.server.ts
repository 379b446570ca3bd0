import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { readStopToken, stopMessages, stopState } from '$lib/server/notify/stop';
import type { Actions, PageServerLoad } from './$types';

async function stateOf(token: string) {
	const id = readStopToken(token);
	const state = id === null ? null : await stopState(await getDb(), id);
	if (id === null || !state) error(404, { message: m.qa_stop_invalid() });
	return { id, ...state };
}

/**
 * A message's stop link opens this page, and a button here stops: a link a mail scanner follows
 * stops nothing. The token is its own proof (an HMAC of the question), so no sign-in is needed.
 */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const { code, state } = await stateOf(params.token);
	return { code, state };
};

export const actions: Actions = {
	default: async ({ params }) => {
		const { id, code } = await stateOf(params.token);
		await stopMessages(await getDb(), id);
		return { done: m.qa_stop_done({ code }) };
	}
};
