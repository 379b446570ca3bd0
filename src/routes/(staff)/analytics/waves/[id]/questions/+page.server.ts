import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { analyticsReader } from '$lib/server/db/read';
import { filterLabel, waveDistributions } from '$lib/server/analytics/results';
import { analyticsWave } from '$lib/server/analytics/waves';
import { loaded } from '$lib/server/forms/step';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'analytics');
	const { db, lagSeconds } = await analyticsReader(event.cookies);
	const wave = await loaded(analyticsWave(db, user, event.params.id));
	if (wave.embargoed) error(403, { message: m.analytics_embargo() });
	const distributions = await waveDistributions(db, wave, event.url.searchParams);
	return {
		wave: { title: wave.title },
		lagSeconds,
		viewing: filterLabel(distributions.choices, distributions.filter),
		distributions
	};
};
