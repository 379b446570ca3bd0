import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { kioskByToken, submitAtKiosk } from '$lib/server/counters/kiosk';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/forms/parse';
import { postedAnswers } from '$lib/server/surveys/respond';
import { newSubmitKey } from '$lib/server/surveys/submit';
import { keepingAnswers } from '$lib/server/surveys/take';
import { communeOptions } from '$lib/server/surveys/paging';
import { communeChoices } from '$lib/server/surveys/waves';
import { questionNumbers } from '$lib/surveys/layout';
import { allQuestions } from '$lib/surveys/spec';
import type { Actions, PageServerLoad } from './$types';

/** Seconds without a touch after which the tablet clears what was answered. */
const IDLE_SECONDS = 60;

export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
	// nothing of this page is kept by the browser or a proxy: the back button finds no answers
	setHeaders({ 'cache-control': 'private, no-store' });
	const db = await getDb();
	const kiosk = await kioskByToken(db, params.token);
	if (!kiosk) error(403, { message: m.kiosk_revoked() });
	const { wave, counter } = kiosk;
	return {
		counter: { name: counter.name, agency: counter.agencyName, fields: counter.fields },
		open: wave.status === 'open',
		consent: wave.spec.consent,
		sections: wave.spec.sections,
		numbers: questionNumbers(wave.spec),
		communes: communeOptions(await communeChoices(db, wave.id)),
		submitKey: newSubmitKey(),
		thanks: url.searchParams.has('thanks'),
		idleSeconds: IDLE_SECONDS
	};
};

export const actions: Actions = {
	/** One citizen's rating; the same submit key sent again (after a network drop) counts once. */
	submit: async ({ params, request }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const db = await getDb();
		const kiosk = await kioskByToken(db, params.token);
		if (!kiosk) return fail(403, { message: m.kiosk_revoked() });
		const posted = String(form.get('submit_key') ?? '');
		const kept = {
			answers: postedAnswers(form, allQuestions(kiosk.wave.spec)),
			submitKey: /^[\w-]{16,64}$/.test(posted) ? posted : newSubmitKey(),
			consent: true,
			field: String(form.get('field') ?? '').slice(0, 200)
		};
		const receipt = await keepingAnswers(kept, () => submitAtKiosk(db, kiosk, kept));
		if (typeof receipt !== 'string') return receipt;
		redirect(303, `/kiosk/${params.token}?thanks=1`);
	}
};
