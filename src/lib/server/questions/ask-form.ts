import { z } from 'zod';
import { isEmail, isPhone } from '$lib/contacts';
import { m } from '$lib/paraglide/messages';
import type { FieldErrors } from '../forms/refusal';
import type { UploadProblem } from '../files/sniff';

/** The lists a question is asked against: only their values can be posted. */
export type AskChoices = {
	topics: readonly { value: string }[];
	units: readonly { value: string }[];
	agencies: readonly { value: string }[];
};

const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: () => m.common_error_too_long({ max }) })
		.optional()
		.transform((v) => v || null);

/** One of `list`, or the field's own reason (also when the field was not posted at all). */
const oneOf = (list: readonly { value: string }[], say: () => string) =>
	z.string({ error: say }).refine((v) => list.some((x) => x.value === v), { error: say });

/**
 * The public question form. Every field says in the asker's language what is wrong with it,
 * also when it is missing from the post (an old page, a script): never the validator's English.
 */
export function askSchema(c: AskChoices) {
	return z
		.object({
			topic: oneOf(c.topics, () => m.qa_error_topic()),
			unit: oneOf(c.units, () => m.qa_error_unit()).transform(Number),
			agency: z
				.string({ error: () => m.qa_error_agency() })
				.default('')
				.refine((v) => v === '' || c.agencies.some((a) => a.value === v), {
					error: () => m.qa_error_agency()
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
			email: optional(200).refine((v) => v === null || isEmail(v), {
				error: () => m.qa_error_email()
			}),
			phone: optional(30).refine((v) => v === null || isPhone(v), {
				error: () => m.qa_error_phone()
			}),
			consent: z.literal('yes', { error: () => m.qa_error_consent() }).optional()
		})
		.superRefine((v, ctx) => {
			if ((v.email || v.phone) && !v.consent)
				ctx.addIssue({ code: 'custom', path: ['consent'], message: m.qa_error_consent() });
		});
}

/** Why the attachments were refused, all of them in one sentence beside the file field. */
export function uploadErrors(problems: readonly UploadProblem[]): FieldErrors {
	return problems.length > 0 ? { files: problems.map(uploadMessage).join(' ') } : {};
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
