import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { getDb } from '$lib/server/db';
import { echoValues, readForm } from '$lib/server/forms/parse';
import { DomainError } from '$lib/server/forms/refusal';
import { formStep } from '$lib/server/forms/step';
import { readUploads } from '$lib/server/files/uploads';
import { askQuestion, CONTACT_RETENTION_DAYS, hitAskLimit } from '$lib/server/questions/ask';
import { askSchema, uploadErrors } from '$lib/server/questions/ask-form';
import { storeUploads } from '$lib/server/questions/files';
import { similarAnswers } from '$lib/server/questions/public';
import { refuseAsker } from '$lib/server/questions/refusals';
import { publicDisclosure } from '$lib/server/disclosures/public';
import { agencies, unitsServed } from '$lib/server/reference';
import { topics } from '$lib/server/questions/reference';
import { isHoneypotFilled } from '$lib/server/surveys/respond';
import { asId } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

async function choices() {
	const db = await getDb();
	const [topicList, units, agencyList] = await Promise.all([
		topics(db),
		unitsServed(db),
		agencies(db)
	]);
	return { topics: topicList, units, agencies: agencyList };
}

/**
 * "Ask about this" on a disclosure opens the form with its title, unit and agency filled in; a
 * search that found nothing opens it with the words searched for as the question's title.
 */
export const load: PageServerLoad = async ({ url }) => {
	const about = asId(url.searchParams.get('about'));
	const disclosure = about === null ? undefined : await publicDisclosure(await getDb(), about);
	const searched = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
	return {
		...(await choices()),
		retentionDays: CONTACT_RETENTION_DAYS,
		prefill: disclosure
			? {
					title: m
						.qa_about_disclosure({ title: disclosure.versions[0]?.title ?? '' })
						.slice(0, 200),
					unit: String(disclosure.unitId),
					agency: String(disclosure.agencyId),
					topic: 'thu-tuc-hanh-chinh'
				}
			: searched
				? { title: searched }
				: {}
	};
};

export const actions: Actions = {
	/** Without JavaScript: show published answers like the question before it is sent. */
	similar: async ({ request }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const values = echoValues(form);
		const text = `${values.title ?? ''} ${values.body ?? ''}`;
		return { values, similar: await similarAnswers(await getDb(), text), searched: true };
	},

	ask: async ({ request, getClientAddress }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const uploads = await readUploads(form, 'files');
		return formStep(
			request,
			askSchema(await choices()),
			async (d) => {
				const db = await getDb();
				const limit = await hitAskLimit(db, getClientAddress());
				if (limit.limited) {
					const minutes = Math.ceil(limit.retryAfterSeconds / 60);
					throw new DomainError('rate_limited', 429, () => m.qa_rate_limited({ minutes }));
				}
				const { token } = await askQuestion(db, {
					topic: d.topic,
					unitId: d.unit,
					agencyId: d.agency,
					title: d.title,
					body: d.body,
					name: d.name,
					email: d.email,
					phone: d.phone,
					consent: d.consent === 'yes',
					files: await storeUploads(uploads.files),
					lang: getLocale()
				});
				redirect(303, `/questions/track/${token}?new=1`);
			},
			{
				form,
				// a bot that fills the hidden field learns nothing more than a person would
				check: (f) => {
					if (isHoneypotFilled(f)) throw refuseAsker('rejected');
					return uploadErrors(uploads.problems);
				}
			}
		);
	}
};
