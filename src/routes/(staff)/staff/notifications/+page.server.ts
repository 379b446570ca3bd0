import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import {
	NOTIFY_MODES,
	notifySettings,
	saveNotifySettings
} from '$lib/server/staff/notify-settings';
import type { Actions, PageServerLoad } from './$types';

const schema = z.object({
	mode: z.enum(NOTIFY_MODES, { error: () => m.notify_settings_mode_invalid() }),
	digestHour: z.coerce
		.number({ error: () => m.notify_settings_hour_invalid() })
		.int({ error: () => m.notify_settings_hour_invalid() })
		.min(0, { error: () => m.notify_settings_hour_invalid() })
		.max(23, { error: () => m.notify_settings_hour_invalid() }),
	lang: z.enum(['vi', 'en'], { error: () => m.notify_settings_lang_invalid() })
});

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'any');
	return { settings: await notifySettings(await getDb(), user.id) };
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireArea(event, 'any');
		return formStep(event.request, schema, async (settings) => {
			await saveNotifySettings(await getDb(), user.id, settings);
			return { done: m.notify_settings_saved() };
		});
	}
};
