import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { addDisclosureType } from '../disclosures/types';
import { refuse } from './refusals';

const text = (max: number) =>
	z
		.string({ error: () => m.error_required() })
		.trim()
		.min(1, { error: () => m.error_required() })
		.max(max, { error: () => m.common_error_too_long({ max }) });
const days = (max: number) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? Number(v) : null))
		.refine((v) => v === null || (Number.isInteger(v) && v >= 0 && v <= max), {
			error: () => m.dc_error_days({ max })
		});

/** The form that adds a kind of information to disclose, with its schedule rules. */
export const typeSchema = z
	.object({
		code: z
			.string()
			.trim()
			.regex(/^[a-z0-9-]{2,60}$/, { error: () => m.dc_error_code() }),
		nameVi: text(200),
		nameEn: text(200),
		basisVi: text(300),
		basisEn: text(300),
		unitLevel: z.enum(['province', 'commune', 'any'], { error: () => m.error_required() }),
		frequency: z.enum(['once', 'yearly', 'quarterly', 'on_change'], {
			error: () => m.error_required()
		}),
		dueFrom: z
			.enum(['start', 'end', ''])
			.default('')
			.transform((v) => v || null),
		dueDays: days(730),
		displayDays: days(3650),
		personalData: z.literal('yes').optional()
	})
	.superRefine((t, ctx) => {
		const scheduled = t.frequency === 'yearly' || t.frequency === 'quarterly';
		if (scheduled && (t.dueFrom === null || t.dueDays === null))
			ctx.addIssue({ code: 'custom', path: ['dueDays'], message: m.dc_error_schedule() });
		if (!scheduled && (t.dueFrom !== null || t.dueDays !== null))
			ctx.addIssue({ code: 'custom', path: ['dueDays'], message: m.dc_error_no_schedule() });
		if (t.displayDays === 0)
			ctx.addIssue({
				code: 'custom',
				path: ['displayDays'],
				message: m.dc_error_days({ max: 3650 })
			});
	});

/** Adds the type to the catalogue; a code already in it is refused beside the code field. */
export async function addType(db: Db, t: z.infer<typeof typeSchema>, actorId: string) {
	const added = await addDisclosureType(
		db,
		{ ...t, personalData: t.personalData === 'yes' },
		actorId
	);
	if (!added) throw refuse('type_code_taken', 'code');
	return { code: t.code, nameVi: t.nameVi, nameEn: t.nameEn };
}
