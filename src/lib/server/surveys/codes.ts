import { createHash, randomInt } from 'node:crypto';

// Crockford's base32 without I, L, O, U: nothing to confuse when read aloud or typed on a phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random code of `groups` groups of 4 characters (20 bits each), e.g. `7K3M-Q9RT-2XHF`. */
export function randomCode(groups: number): string {
	const parts: string[] = [];
	for (let g = 0; g < groups; g++) {
		let part = '';
		for (let i = 0; i < 4; i++) part += ALPHABET[randomInt(ALPHABET.length)];
		parts.push(part);
	}
	return parts.join('-');
}

/** What a person typed, in canonical form: case, spaces, dashes and look-alike letters forgiven. */
export function normalizeCode(input: string): string {
	const compact = input
		.toUpperCase()
		.replace(/[\s-]/g, '')
		.replace(/O/g, '0')
		.replace(/[IL]/g, '1');
	return compact.replace(/(.{4})(?=.)/g, '$1-');
}

export function hashCode(code: string): Uint8Array {
	return createHash('sha256').update(normalizeCode(code)).digest();
}

export function sha256(text: string): Uint8Array {
	return createHash('sha256').update(text).digest();
}
