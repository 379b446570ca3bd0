import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { waveResults } from '$lib/server/analytics/results';
import { managedWave } from '$lib/server/surveys/fieldwork';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'analytics');
	const wave = await managedWave(user, event.params.id);
	// a designed sample's results stay closed while fieldwork goes on: only progress is shown
	const embargoed = wave.resultsMode === 'after_close' && wave.status !== 'closed';
	return {
		wave: {
			title: wave.title,
			status: wave.status,
			responses: wave.responses,
			target: wave.target
		},
		embargoed,
		results: embargoed ? null : await waveResults(await getDb(), wave)
	};
};
