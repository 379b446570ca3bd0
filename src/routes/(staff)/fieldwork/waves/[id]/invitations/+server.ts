import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { generateInvitations } from '$lib/server/surveys/invitations';
import { managedWave } from '$lib/server/surveys/fieldwork';
import { loaded } from '$lib/server/forms/step';
import type { RequestHandler } from './$types';

/** Generates a batch of single-use codes and returns them once, as CSV with QR-ready links. */
export const POST: RequestHandler = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const wave = await loaded(managedWave(user, event.params.id));
	if (wave.accessMode !== 'invitation') error(400, { message: m.error_invalid_request() });
	let count = NaN;
	try {
		count = Number((await event.request.formData()).get('count'));
	} catch {
		// not a form: refused below
	}
	if (!Number.isInteger(count) || count < 1 || count > 5000)
		error(400, { message: m.error_invalid_request() });
	const codes = await generateInvitations(await getDb(), wave.id, count, user.id);
	const link = `${event.url.origin}/surveys/${wave.slug}`;
	// Codes and links contain only [0-9A-Z-] and URL characters: nothing a spreadsheet would run.
	const csv = ['code,url', ...codes.map((c) => `${c},${link}?code=${c}`)].join('\r\n') + '\r\n';
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="invitations-${wave.slug}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
