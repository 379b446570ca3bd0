import { requireArea } from '$lib/server/auth/guards';
import { analyticsReader } from '$lib/server/db/read';
import {
	filterLabel,
	progressByUnit,
	waveContext,
	waveResults
} from '$lib/server/analytics/results';
import { waveTrends } from '$lib/server/analytics/trends';
import { mayExportMicrodata } from '$lib/server/analytics/permissions';
import { analyticsWave } from '$lib/server/analytics/waves';
import { loaded } from '$lib/server/forms/step';
import { unitsWithAncestry } from '$lib/server/surveys/scope';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'analytics');
	const { db, lagSeconds } = await analyticsReader(event.cookies);
	const wave = await loaded(analyticsWave(db, user, event.params.id));
	const summary = {
		title: wave.title,
		status: wave.status,
		responses: wave.responses,
		target: wave.target
	};
	if (wave.embargoed) {
		// only fieldwork progress: responses per commune, no estimate of any kind
		return {
			wave: summary,
			lagSeconds,
			embargoed: true as const,
			progress: await progressByUnit(db, wave.id)
		};
	}
	// one reading of the wave's group sizes and hidden groups serves the results and the trend
	const context = await waveContext(db, wave);
	const results = await waveResults(db, wave, event.url.searchParams, context);
	return {
		wave: summary,
		lagSeconds,
		embargoed: false as const,
		results,
		viewing: filterLabel(results.choices, results.filter),
		trends: await waveTrends(db, user, wave, results.filter, context),
		microdata: mayExportMicrodata(user.grants, await unitsWithAncestry(db, wave.unitIds))
	};
};
