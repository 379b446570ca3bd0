import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { config } from '../config';
import { keySecret } from '../security/rate-limit';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

let cached: { secret: string; key: Buffer } | undefined;

/**
 * The sealing key, derived from the server's secret (APP_SECRET, else the key shared through the
 * database): a copy of the database alone opens nothing. A new secret leaves old seals unopenable.
 */
function key(): Buffer {
	const secret = keySecret(config().appSecret);
	if (cached?.secret !== secret) {
		const derived = hkdfSync('sha256', secret, 'civic-voice', 'question-link-seal', 32);
		cached = { secret, key: Buffer.from(derived) };
	}
	return cached.key;
}

/** `text` encrypted and authenticated (AES-256-GCM) under the server's key. */
export function seal(text: string): string {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key(), iv);
	const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
	return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The text sealed, or null when the seal was altered, made under another key, or is not one. */
export function unseal(sealed: string): string | null {
	const [version, payload, extra] = sealed.split('.');
	if (version !== VERSION || !payload || extra !== undefined) return null;
	const raw = Buffer.from(payload, 'base64url');
	if (raw.length < IV_BYTES + TAG_BYTES) return null;
	try {
		const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, IV_BYTES));
		decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
		const body = raw.subarray(IV_BYTES + TAG_BYTES);
		return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
	} catch {
		return null;
	}
}
