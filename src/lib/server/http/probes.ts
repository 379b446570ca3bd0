import type { Handle } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { Db } from '../db';

/**
 * Health probes for a process manager or a load balancer, answered by a hook before anything
 * else runs (no locale, no session lookup, no sign-in redirect, no page cache) and never queued
 * behind the load shedder: a probe is what tells the balancer the process is overloaded or
 * stuck, so it must not be turned away as one more request.
 *
 * - GET /healthz: the process answers. Touches nothing else.
 * - GET /readyz: the database answers and every migration this code knows has been applied
 *   (a new version whose migrations another process has not finished is not ready). 503 with a
 *   one-line reason otherwise, within `timeoutMs`. A read replica that is down does not make
 *   the server unready (its reads go to the primary); the answer says so after "ready;".
 */
export const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/** `note`: something degraded that does not stop this server serving (a read replica down). */
export type Readiness = { ready: true; note?: string } | { ready: false; reason: string };

const READY_TIMEOUT_MS = 2000;

export async function readiness(
	db: () => Promise<Db>,
	migrationNames: () => Promise<string[]>,
	timeoutMs = READY_TIMEOUT_MS
): Promise<Readiness> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<Readiness>((resolve) => {
		timer = setTimeout(
			() => resolve({ ready: false, reason: `database: no answer within ${timeoutMs} ms` }),
			timeoutMs
		);
	});
	const check = async (): Promise<Readiness> => {
		let applied: Set<string>;
		try {
			const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(
				await db()
			);
			applied = new Set(rows.rows.map((r) => r.name));
		} catch {
			return { ready: false, reason: 'database: unreachable or not migrated' };
		}
		const missing = (await migrationNames()).filter((name) => !applied.has(name));
		return missing.length
			? { ready: false, reason: `migrations pending: ${missing.join(', ')}` }
			: { ready: true };
	};
	try {
		return await Promise.race([check(), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

function plain(status: number, text: string): Response {
	return new Response(text + '\n', {
		status,
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}

export function probes(ready: () => Promise<Readiness>): Handle {
	return async ({ event, resolve }) => {
		const path = event.url.pathname;
		if (!PROBE_PATHS.has(path)) return resolve(event);
		if (event.request.method !== 'GET' && event.request.method !== 'HEAD') {
			const response = plain(405, 'method not allowed');
			response.headers.set('allow', 'GET, HEAD');
			return response;
		}
		if (path === '/healthz') return plain(200, 'ok');
		const state = await ready();
		if (!state.ready) return plain(503, `not ready: ${state.reason}`);
		return plain(200, state.note ? `ready; ${state.note}` : 'ready');
	};
}
