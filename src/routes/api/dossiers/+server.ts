import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { RecordProblem } from '$lib/dossiers/records';
import { getDb } from '$lib/server/db';
import { readDossierJson } from '$lib/server/dossiers/api';
import { importDossiers, ImportRefused } from '$lib/server/dossiers/import';
import { problemMessage } from '$lib/server/dossiers/import-form';
import { tokenFromHeader } from '$lib/server/dossiers/tokens';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'no-store' };

const refused = (problems: RecordProblem[]) =>
	json(
		{
			error: 'invalid',
			message: m.dossier_import_refused(),
			problems: problems.map((p) => ({ ...p, message: problemMessage(p) }))
		},
		{ status: 400, headers: NO_STORE }
	);

/**
 * A one-stop system sends its dossiers (see README, "Dossier records"): authenticated by its
 * agency's token, all or nothing, idempotent by code; `?dryRun=1` only says what it would do.
 */
export const POST: RequestHandler = async ({ request, url }) => {
	const db = await getDb();
	const token = await tokenFromHeader(db, request.headers.get('authorization'));
	if (!token)
		return json(
			{ error: 'unauthorized', message: m.dossier_api_unauthorized() },
			{ status: 401, headers: { ...NO_STORE, 'www-authenticate': 'Bearer' } }
		);
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return json(
			{ error: 'malformed', message: m.error_invalid_request() },
			{ status: 400, headers: NO_STORE }
		);
	}
	const read = readDossierJson(body);
	if ('malformed' in read)
		return json(
			{ error: 'malformed', message: m.error_invalid_request() },
			{ status: 400, headers: NO_STORE }
		);
	if ('problems' in read) return refused(read.problems);
	try {
		const outcome = await importDossiers(
			db,
			{ agencyId: token.agencyId, source: 'api', userId: null, tokenId: token.id },
			read.records,
			url.searchParams.get('dryRun') === '1'
		);
		return json(outcome, { headers: NO_STORE });
	} catch (e) {
		if (e instanceof ImportRefused) return refused(e.problems);
		throw e;
	}
};
