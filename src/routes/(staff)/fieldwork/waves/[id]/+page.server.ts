import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { clearPageCache } from '$lib/server/http/page-cache';
import { managedWave } from '$lib/server/surveys/fieldwork';
import { setWaveStatus, WaveStateError } from '$lib/server/surveys/waves';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'fieldwork');
	return { wave: await managedWave(user, event.params.id), origin: event.url.origin };
};

async function move(event: Parameters<Actions[string]>[0], status: 'open' | 'closed') {
	const user = requireArea(event, 'fieldwork');
	const wave = await managedWave(user, event.params.id!);
	try {
		await setWaveStatus(await getDb(), wave.id, status, user.id);
		clearPageCache();
	} catch (e) {
		if (e instanceof WaveStateError)
			return fail(409, { message: m.fw_state_error({ reason: e.message }) });
		throw e;
	}
	return { done: m.fw_saved() };
}

export const actions: Actions = {
	open: (event) => move(event, 'open'),
	close: (event) => move(event, 'closed')
};
