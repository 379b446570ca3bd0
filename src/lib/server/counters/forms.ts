import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { MAX_ID } from '../http/params';

const id = (say: () => string) =>
	z.coerce
		.number({ error: say })
		.int({ error: say })
		.positive({ error: say })
		.max(MAX_ID, { error: say });

const name = z
	.string({ error: () => m.counter_name_invalid() })
	.trim()
	.min(1, { error: () => m.counter_name_invalid() })
	.max(120, { error: () => m.counter_name_invalid() });

/** The fields served, one a line, repeated ones once. */
const fields = z
	.string({ error: () => m.counter_fields_invalid() })
	.max(4000, { error: () => m.counter_fields_invalid() })
	.transform((text) => [
		...new Set(
			text
				.split('\n')
				.map((f) => f.trim())
				.filter(Boolean)
		)
	])
	.refine((f) => f.length >= 1 && f.length <= 40 && f.every((x) => x.length <= 80), {
		error: () => m.counter_fields_invalid()
	});

/** A new counter: its agency, name, fields and the wave its tablet shows. */
export const counterForm = z.object({
	agencyId: id(() => m.error_invalid_request()),
	name,
	fields,
	waveId: id(() => m.counter_wave_invalid())
});

/** A counter's new name and fields. */
export const counterChangeForm = z.object({
	counterId: id(() => m.error_invalid_request()),
	name,
	fields
});

export const counterRef = z.object({ counterId: id(() => m.error_invalid_request()) });

export const kioskForm = z.object({
	counterId: id(() => m.error_invalid_request()),
	label: z
		.string()
		.trim()
		.max(80, { error: () => m.counter_kiosk_label_invalid() })
		.default('')
});

export const kioskRef = z.object({ kioskId: id(() => m.error_invalid_request()) });
