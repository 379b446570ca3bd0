import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import {
	MICRODATA_XLSX_MAX,
	microdataStream,
	microdataTable,
	type MicrodataHeader
} from '$lib/server/analytics/microdata';
import { mayExportMicrodata } from '$lib/server/analytics/permissions';
import { analyticsWave } from '$lib/server/analytics/waves';
import { csvStreamResponse, exportResponse, formatParam } from '$lib/server/exports/response';
import { loaded } from '$lib/server/forms/step';
import { unitsWithAncestry } from '$lib/server/surveys/scope';
import { specOfVersion } from '$lib/server/surveys/instruments';
import type { RequestHandler } from './$types';

/**
 * One row per response, for analysts who also hold the microdata grant: CSV streamed, or a
 * workbook (?format=xlsx) for a wave of at most MICRODATA_XLSX_MAX responses. Audited.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'analytics');
	const format = formatParam(event.url);
	const { db: read } = await analyticsReader(event.cookies);
	const wave = await loaded(analyticsWave(read, user, event.params.id));
	if (!mayExportMicrodata(user.grants, await unitsWithAncestry(read, wave.unitIds)))
		error(403, { message: m.analytics_microdata_forbidden() });
	if (wave.embargoed) error(403, { message: m.analytics_embargo() });
	if (format === 'xlsx' && wave.responses > MICRODATA_XLSX_MAX)
		error(400, { message: m.analytics_microdata_too_large({ max: MICRODATA_XLSX_MAX }) });
	await audit(await getDb(), {
		actorId: user.id,
		action: 'analytics.export',
		entityType: 'survey_wave',
		entityId: wave.id,
		details: { format, kind: 'microdata', responses: wave.responses }
	});
	const spec = await specOfVersion(read, wave.versionId);
	const header: MicrodataHeader = {
		row: m.analytics_md_row(),
		unit: m.analytics_md_unit(),
		mode: m.analytics_md_mode(),
		day: m.analytics_md_day(),
		weight: m.analytics_md_weight(),
		designWeight: m.analytics_md_design_weight(),
		stratum: m.analytics_md_stratum(),
		psu: m.analytics_md_psu()
	};
	const designed = wave.variance === 'designed';
	const name = `microdata-${wave.slug}`;
	if (format === 'xlsx')
		return exportResponse(await microdataTable(read, wave.id, spec, header, designed), {
			format,
			name,
			sheet: m.analytics_sheet_microdata()
		});
	return csvStreamResponse(microdataStream(read, wave.id, spec, header, designed), name);
};
