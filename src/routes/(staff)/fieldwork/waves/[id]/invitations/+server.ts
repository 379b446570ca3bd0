import { error } from '@sveltejs/kit';
import { EXPORT_FORMATS, type ExportFormat } from '$lib/exports/format';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { text } from '$lib/server/exports/columns';
import { exportResponse } from '$lib/server/exports/response';
import { generateInvitations } from '$lib/server/surveys/invitations';
import { managedWave } from '$lib/server/surveys/fieldwork';
import { loaded } from '$lib/server/forms/step';
import type { RequestHandler } from './$types';

/**
 * Generates a batch of single-use codes and returns them once, with QR-ready links, as CSV or
 * (the form's other button) as an Excel workbook.
 */
export const POST: RequestHandler = async (event) => {
	const user = requireArea(event, 'fieldwork');
	const wave = await loaded(managedWave(user, event.params.id));
	if (wave.accessMode !== 'invitation') error(400, { message: m.error_invalid_request() });
	let count = NaN;
	let format: FormDataEntryValue = 'csv';
	try {
		const form = await event.request.formData();
		count = Number(form.get('count'));
		format = form.get('format') ?? 'csv';
	} catch {
		// not a form: refused below
	}
	if (!Number.isInteger(count) || count < 1 || count > 5000)
		error(400, { message: m.error_invalid_request() });
	if (!(EXPORT_FORMATS as readonly unknown[]).includes(format))
		error(400, { message: m.error_invalid_request() });
	const codes = await generateInvitations(await getDb(), wave.id, count, user.id);
	const link = `${event.url.origin}/surveys/${wave.slug}`;
	return exportResponse(
		{
			columns: [
				text<string>('code', (c) => c, 16),
				text<string>('url', (c) => `${link}?code=${c}`, 60)
			],
			rows: codes
		},
		{
			format: format as ExportFormat,
			name: `invitations-${wave.slug}`,
			sheet: m.fw_invitations(),
			cacheControl: 'no-store'
		}
	);
};
