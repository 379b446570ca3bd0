import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { echoValues, parseFields, readForm, type FieldErrors } from '$lib/server/forms/parse';
import { readUploads } from '$lib/server/files/uploads';
import type { UploadProblem } from '$lib/server/files/sniff';
import { askQuestion, CONTACT_RETENTION_DAYS, hitAskLimit } from '$lib/server/questions/ask';
import { storeUploads } from '$lib/server/questions/files';
import { similarAnswers } from '$lib/server/questions/public';
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

/** "Ask about this" on a disclosure opens the form with its title, unit and agency filled in. */
export const load: PageServerLoad = async ({ url }) => {
	const about = asId(url.searchParams.get('about'));
	const disclosure = about === null ? undefined : await publicDisclosure(await getDb(), about);
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
			: {}
	};
};

const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: () => m.common_error_too_long({ max }) })
		.optional()
		.transform((v) => v || null);

function askSchema(c: Awaited<ReturnType<typeof choices>>) {
	const oneOf = (list: { value: string }[]) =>
		z.string().refine((v) => list.some((x) => x.value === v), { error: () => m.error_required() });
	return z
		.object({
			topic: oneOf(c.topics),
			unit: oneOf(c.units).transform(Number),
			agency: z
				.string()
				.default('')
				.refine((v) => v === '' || c.agencies.some((a) => a.value === v), {
					error: () => m.error_required()
				})
				.transform((v) => (v ? Number(v) : null)),
			title: z
				.string({ error: () => m.error_required() })
				.trim()
				.min(10, { error: () => m.qa_error_title_short({ min: 10 }) })
				.max(200, { error: () => m.common_error_too_long({ max: 200 }) }),
			body: z
				.string({ error: () => m.error_required() })
				.trim()
				.min(20, { error: () => m.common_error_too_short({ min: 20 }) })
				.max(5000, { error: () => m.common_error_too_long({ max: 5000 }) }),
			name: optional(100),
			email: optional(200).refine((v) => v === null || z.email().safeParse(v).success, {
				error: () => m.qa_error_email()
			}),
			phone: optional(30).refine((v) => v === null || /^\+?[0-9 .()-]{8,20}$/.test(v), {
				error: () => m.qa_error_phone()
			}),
			consent: z.literal('yes').optional()
		})
		.superRefine((v, ctx) => {
			if ((v.email || v.phone) && !v.consent)
				ctx.addIssue({ code: 'custom', path: ['consent'], message: m.qa_error_consent() });
		});
}

function uploadMessage(p: UploadProblem): string {
	switch (p.code) {
		case 'too_many':
			return m.common_error_files_too_many({ max: 3 });
		case 'too_large':
			return m.common_error_file_too_large({ name: p.name, max: 5 });
		case 'empty':
			return m.common_error_file_empty({ name: p.name });
		// Office documents are not attachments: their own reasons never come up here.
		case 'type':
		case 'office_legacy':
		case 'unpacked_too_large':
			return m.qa_error_file_type({ name: p.name });
	}
}

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
		const values = echoValues(form);
		if (isHoneypotFilled(form)) return fail(400, { values, errors: {}, message: m.qa_rejected() });
		const c = await choices();
		const parsed = parseFields(askSchema(c), form);
		const errors: FieldErrors = 'errors' in parsed ? parsed.errors : {};
		const uploads = await readUploads(form, 'files');
		if (uploads.problems.length > 0) errors.files = uploads.problems.map(uploadMessage).join(' ');
		if (!('data' in parsed) || Object.keys(errors).length > 0) return fail(400, { values, errors });

		const db = await getDb();
		const limit = await hitAskLimit(db, getClientAddress());
		if (limit.limited) {
			return fail(429, {
				values,
				errors: {},
				message: m.qa_rate_limited({ minutes: Math.ceil(limit.retryAfterSeconds / 60) })
			});
		}
		const d = parsed.data;
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
			files: await storeUploads(uploads.files)
		});
		redirect(303, `/questions/track/${token}?new=1`);
	}
};
