import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../db';
import { connectionOf } from '../db/url';
import { errorFields, log } from '../log';
import {
	CHANNEL,
	forget,
	parseChange,
	setHearing,
	type Forgotten,
	type Hearing
} from './invalidation';

export type ListenerOptions = {
	/** LISTEN needs a session of its own: PostgreSQL itself, never pgbouncer in transaction mode */
	url: string;
	/** sends the probes: the application's pool, so a probe takes the path changes take */
	db: Db;
	deliver?: (what: Forgotten) => void;
	hear?: (now: Hearing) => void;
	/** how the connection shows in pg_stat_activity */
	applicationName?: string;
	probeEveryMs?: number;
	probeTimeoutMs?: number;
	firstRetryMs?: number;
	maxRetryMs?: number;
};

export type Listener = { stop: () => Promise<void> };

const isProbe = (payload: string | undefined) => payload?.startsWith('probe ') ?? false;

/**
 * Keeps one connection LISTENing on CHANNEL and hands every change it hears to `deliver`.
 *
 * It counts as listening only once a probe (a notification sent through `db`, as changes are)
 * has come back on it, and again every `probeEveryMs`: a connection that LISTENs through
 * pgbouncer in transaction mode, or one a network has silently cut, hears nothing, and the
 * caches must know. A lost or deaf connection is replaced, after a wait that doubles up to
 * `maxRetryMs`; each new one makes the caches forget everything, since what was announced
 * meanwhile is lost. Timers are unref'd; `stop` (at shutdown) ends the connection.
 */
export function startListener(options: ListenerOptions): Listener {
	const {
		url,
		db,
		deliver = forget,
		hear = setHearing,
		applicationName = 'civic-voice listener',
		probeEveryMs = 5000,
		probeTimeoutMs = 3000,
		firstRetryMs = 250,
		maxRetryMs = 10_000
	} = options;
	let client: pg.Client | undefined;
	let stopped = false;
	let retryMs = firstRetryMs;
	let timer: NodeJS.Timeout | undefined;
	let awaited: string | undefined;
	let listening = false;
	let warned = false;

	const later = (ms: number, then: () => void) => {
		clearTimeout(timer);
		timer = setTimeout(then, ms);
		timer.unref();
	};

	const deaf = (why: string, fields: Record<string, unknown> = {}) => {
		hear('deaf');
		if (listening || !warned)
			log.warn(`cache invalidation: ${why}; cached pages are kept at most 1 s meanwhile`, fields);
		listening = false;
		warned = true;
	};

	const drop = (c: pg.Client, why: string, fields?: Record<string, unknown>) => {
		if (client !== c || stopped) return;
		client = undefined;
		awaited = undefined;
		deaf(why, fields);
		c.removeAllListeners('notification');
		c.end().catch(() => undefined);
		later(retryMs, connect);
		retryMs = Math.min(retryMs * 2, maxRetryMs);
	};

	const probe = async (c: pg.Client) => {
		if (client !== c) return;
		const nonce = `probe ${randomUUID()}`;
		awaited = nonce;
		later(probeTimeoutMs, () =>
			drop(c, 'no notification came back on the listening connection', {
				hint: 'DATABASE_LISTEN_URL must reach PostgreSQL itself, not pgbouncer in transaction mode'
			})
		);
		try {
			await sql`select pg_notify(${CHANNEL}, ${nonce})`.execute(db);
		} catch (e) {
			// the pool cannot reach the database: the connection may be fine, but it is not known
			if (client !== c) return;
			awaited = undefined;
			deaf('the database cannot be reached to check the listening connection', errorFields(e));
			later(Math.min(probeEveryMs, 1000), () => void probe(c));
		}
	};

	const heard = (c: pg.Client, { channel, payload }: pg.Notification) => {
		if (client !== c || channel !== CHANNEL) return;
		if (!isProbe(payload)) return deliver(parseChange(payload));
		// another server's probe
		if (payload !== awaited) return;
		awaited = undefined;
		retryMs = firstRetryMs;
		if (!listening) log.info('cache invalidation: listening to the other servers');
		listening = true;
		warned = false;
		hear('listening');
		later(probeEveryMs, () => void probe(c));
	};

	const connect = async () => {
		if (stopped) return;
		const c = new pg.Client({
			// DATABASE_URL's `?pgbouncer=true` (the default URL here) is for this app, not for pg
			connectionString: connectionOf(url).connectionString,
			keepAlive: true,
			application_name: applicationName
		});
		client = c;
		// an 'error' nobody listens to ends the process
		c.on('error', (e) => drop(c, 'listening connection lost', { reason: e.message }));
		c.on('end', () => drop(c, 'listening connection closed'));
		c.on('notification', (n) => heard(c, n));
		try {
			await c.connect();
			await c.query(`listen ${CHANNEL}`);
		} catch (e) {
			return drop(c, 'cannot listen for changes', { reason: (e as Error).message });
		}
		if (client !== c) return;
		// whatever was announced while no connection listened is lost
		deliver('all');
		await probe(c);
	};

	hear('deaf');
	void connect();

	return {
		stop: async () => {
			stopped = true;
			clearTimeout(timer);
			const c = client;
			client = undefined;
			await c?.end().catch(() => undefined);
		}
	};
}
