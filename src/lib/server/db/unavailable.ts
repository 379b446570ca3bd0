/**
 * Errors that mean the database cannot be reached right now (restarting, failing over, out of
 * connections), as opposed to a bug: the request may well succeed in a few seconds, so the
 * client is told 503 with Retry-After rather than 500. SQLSTATE class 08 (connection exception)
 * and 57P01-57P03 (shutting down, crashed, starting up), and the socket errors of the driver.
 */
const CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'57P01',
	'57P02',
	'57P03'
]);
const MESSAGES =
	/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

export function isDatabaseUnavailable(error: unknown): boolean {
	for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && (CODES.has(code) || code.startsWith('08'))) return true;
		if (MESSAGES.test(e.message)) return true;
	}
	return false;
}
