import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { microdataStream } from '$lib/server/analytics/microdata';
import { mayExportMicrodata } from '$lib/server/analytics/permissions';
import { analyticsWave } from '$lib/server/analytics/waves';
import { loaded } from '$lib/server/forms/step';
import { unitsWithAncestry } from '$lib/server/surveys/scope';
import { specOfVersion } from '$lib/server/surveys/instruments';
import type { RequestHandler } from './$types';

/** One row per response, for analysts who also hold the microdata grant. Audited, streamed. */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'analytics');
	const { db: read } = await analyticsReader(event.cookies);
	const wave = await loaded(analyticsWave(read, user, event.params.id));
	if (!mayExportMicrodata(user.grants, await unitsWithAncestry(read, wave.unitIds)))
		error(403, { message: m.analytics_microdata_forbidden() });
	if (wave.embargoed) error(403, { message: m.analytics_embargo() });
	await audit(await getDb(), {
		actorId: user.id,
		action: 'analytics.export',
		entityType: 'survey_wave',
		entityId: wave.id,
		details: { format: 'csv', kind: 'microdata', responses: wave.responses }
	});
	const stream = microdataStream(
		read,
		wave.id,
		await specOfVersion(read, wave.versionId),
		{
			row: m.analytics_md_row(),
			unit: m.analytics_md_unit(),
			mode: m.analytics_md_mode(),
			day: m.analytics_md_day(),
			weight: m.analytics_md_weight(),
			designWeight: m.analytics_md_design_weight(),
			stratum: m.analytics_md_stratum(),
			psu: m.analytics_md_psu()
		},
		wave.variance === 'designed'
	);
	return new Response(stream, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="microdata-${wave.slug}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
