import { z } from 'zod';
import { isIsoDate } from '$lib/deadlines/working-days';
import { m } from '$lib/paraglide/messages';
import { MARKDOWN_MAX_LENGTH } from '../markdown';
import { seenFingerprint } from '../review/fingerprint';

const text = (min: number, max: number) =>
	z
		.string({ error: () => m.error_required() })
		.trim()
		.min(min, { error: () => (min <= 1 ? m.error_required() : m.common_error_too_short({ min })) })
		.max(max, { error: () => m.common_error_too_long({ max }) });

/** The text of a disclosure version, as the forms post it. */
export const versionSchema = z.object({
	title: text(5, 300),
	summary: text(10, 1000),
	body: z
		.string()
		.max(MARKDOWN_MAX_LENGTH, {
			error: () => m.common_error_too_long({ max: MARKDOWN_MAX_LENGTH })
		})
		.default(''),
	effectiveOn: z
		.string({ error: () => m.error_required() })
		.refine(isIsoDate, { error: () => m.cal_date_invalid() }),
	changeNote: z
		.string()
		.trim()
		.max(1000, { error: () => m.common_error_too_long({ max: 1000 }) })
		.optional()
		.transform((v) => v || null)
});

export const reasonSchema = (field: string) =>
	z.object({ [field]: text(5, 2000) }) as z.ZodObject<Record<string, z.ZodString>>;

/** An approval carries the fingerprint of the version the approver was shown. */
export const approvalSchema = z.object({ seen: seenFingerprint });
