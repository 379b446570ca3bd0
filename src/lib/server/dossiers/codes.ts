import { createHash, createHmac, randomBytes } from 'node:crypto';
import { normalizeCode } from '$lib/dossiers/records';
import { config } from '../config';
import { keySecret } from '../security/rate-limit';

/**
 * A dossier code as it is stored: an HMAC under the server secret (APP_SECRET, else the key made
 * at first start and kept in server_secret), so that a copy of the database cannot be matched
 * against the province's list of codes. Changing APP_SECRET orphans the stored dossiers: they
 * must be imported again.
 */
export function dossierCodeHash(code: string, secret = config().appSecret): string {
	return createHmac('sha256', keySecret(secret))
		.update(`dossier|${normalizeCode(code)}`)
		.digest('base64url');
}

/** A new API token (shown once) and the SHA-256 it is kept as. */
export function newApiToken(): { token: string; hash: string } {
	const token = `cvd_${randomBytes(32).toString('base64url')}`;
	return { token, hash: apiTokenHash(token) };
}

export function apiTokenHash(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}
