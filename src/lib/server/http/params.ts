import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

/** Row ids are PostgreSQL `serial` (32-bit): a larger number would fail in the database. */
export const MAX_ID = 2_147_483_647;

/**
 * An id as it appears in an address or a form: a positive whole number written plainly (no sign,
 * exponent, hex, spaces or leading zeros) and in range; anything else is null.
 */
export function asId(value: string | null | undefined): number | null {
	if (!value || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
	const id = Number(value);
	return id <= MAX_ID ? id : null;
}

/** An id from the address: anything but a positive whole number in range is 404. */
export function idParam(param: string): number {
	const id = asId(param);
	if (id === null) error(404, { message: m.error_not_found() });
	return id;
}
