import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { loaded } from '$lib/server/forms/step';
import { idParam } from '$lib/server/http/params';
import { printLetter } from '$lib/server/letters/letters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const letter = await loaded(printLetter(await getDb(), user, idParam(event.params.id)));
	return { letter };
};
