import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { MAX_ID } from '../http/params';

const bad = () => m.error_invalid_request();

/** Drafting the letter of one late dossier or late question turn. */
export const draftForm = z.object({
	kind: z.enum(['dossier', 'question'], { error: bad }),
	id: z.coerce
		.number({ error: bad })
		.int({ error: bad })
		.positive({ error: bad })
		.max(MAX_ID, { error: bad })
});

const short = z
	.string({ error: () => m.letter_short_invalid() })
	.trim()
	.max(200, { error: () => m.letter_short_invalid() })
	.default('');

/** The text of a draft letter, as the official edits it. */
export const letterTextForm = z.object({
	addressee: short,
	place: short,
	body: z
		.string({ error: () => m.letter_text_invalid() })
		.trim()
		.min(1, { error: () => m.letter_text_invalid() })
		.max(8000, { error: () => m.letter_text_invalid() })
		.transform((text) => text.replace(/\r\n?/g, '\n')),
	signerTitle: short,
	signerName: short
});

/** Approval carries nothing but the letter's address. */
export const approveForm = z.object({});
