import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '$lib/auth/policy';
import { LEVELS, type Level } from './log';

/**
 * Every setting the server reads, validated once at start-up. Documented in the README and in
 * .env.example (a test checks that it lists every variable here). PORT, HOST, SOCKET_PATH,
 * ORIGIN, the proxy headers, BODY_SIZE_LIMIT and the timeouts are read by adapter-node itself,
 * WEB_CONCURRENCY by server.js; they are checked here too so that a typo fails at start with a
 * clear message.
 */
const boolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const headerName = z
	.string()
	.regex(/^[A-Za-z0-9-]+$/, 'must be a header name like X-Forwarded-For');
const seconds = z.coerce.number().int().min(0).max(86_400);
const postgresUrl = z
	.string()
	.regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL');

const schema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
	PORT: z.coerce.number().int().min(1).max(65535).optional(),
	HOST: z.string().min(1).optional(),
	ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
	BODY_SIZE_LIMIT: z
		.string()
		.regex(/^(\d+[KMG]?|Infinity)$/, 'like 512K, 10M or Infinity')
		.optional(),
	SOCKET_PATH: z.string().min(1).optional(),
	ADDRESS_HEADER: headerName.optional(),
	XFF_DEPTH: z.coerce
		.number({ error: 'must be a positive integer' })
		.int('must be a positive integer')
		.min(1, 'must be a positive integer')
		.max(20)
		.optional(),
	PROTOCOL_HEADER: headerName.optional(),
	HOST_HEADER: headerName.optional(),
	PORT_HEADER: headerName.optional(),
	SHUTDOWN_TIMEOUT: z.coerce.number().int().min(0).max(3600).optional(),
	IDLE_TIMEOUT: seconds.optional(),
	KEEP_ALIVE_TIMEOUT: seconds.optional(),
	HEADERS_TIMEOUT: seconds.optional(),
	WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
	LOG_LEVEL: z.enum(LEVELS).default('info'),
	DATABASE_URL: postgresUrl.optional(),
	DATABASE_LISTEN_URL: postgresUrl.optional(),
	DATABASE_POOL_MAX: z.coerce
		.number()
		.int()
		// the analytics aggregator holds its turn on one connection while it works on another
		.min(2, 'must be at least 2 (the analytics aggregator uses two connections)')
		.max(200)
		.default(10),
	DATABASE_PREPARED: boolean.optional(),
	DATABASE_READ_URL: postgresUrl.optional(),
	DATABASE_READ_POOL_MAX: z.coerce.number().int().min(1).max(200).default(5),
	DATA_DIR: z.string().min(1).default('.data'),
	FILE_STORE: z
		.enum(['database', 'filesystem'], {
			error:
				'must be database (files in PostgreSQL, shared by every server) or filesystem (DATA_DIR/files)'
		})
		.optional(),
	PGLITE_DIR: z.string().min(1).optional(),
	SEED_DEMO: boolean.optional(),
	APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
	BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
	BOOTSTRAP_ADMIN_PASSWORD: z
		.string()
		.min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
		.optional(),
	SURVEY_SUBMITS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(60),
	KIOSK_SUBMITS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(120),
	QUESTIONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
	INTERVIEWER_SUBMITS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
	SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
	SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
	MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(96),
	SOURCE_URL: z.url({ protocol: /^https?$/ }).optional(),
	SMTP_URL: z
		.url({ protocol: /^smtps?$/, error: 'must be smtp://user:password@host:587 or smtps://…:465' })
		.optional(),
	MAIL_FROM: z
		.string()
		.regex(/^([^<>]+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
			error: 'must be an address, or a name and an address: Cổng góp ý <gopy@example.gov.vn>'
		})
		.optional(),
	NOTIFY_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
	NOTIFY_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
	NOTIFY_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
	NOTIFY_SCAN_SECONDS: z.coerce.number().int().min(1).max(3600).default(60)
});

/** the names of every variable read here, for the test that keeps .env.example complete */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export type Config = {
	databaseUrl: string | undefined;
	/**
	 * Where the connection that hears other servers' changes goes (LISTEN needs a session of its
	 * own, so never through pgbouncer in transaction mode); unset without DATABASE_URL.
	 */
	databaseListenUrl: string | undefined;
	databasePoolMax: number;
	/**
	 * Named prepared statements for the hot statements: unset means yes, unless the URL leads
	 * to pgbouncer (`?pgbouncer=true` or port 6432), whose transaction mode cannot keep them.
	 */
	databasePrepared: boolean | undefined;
	/** a streaming replica for analytics reads (see db/read.ts) */
	databaseReadUrl: string | undefined;
	databaseReadPoolMax: number;
	dataDir: string;
	/**
	 * Where uploaded files' bytes live: the database (every server sees them, one backup holds
	 * them) by default with DATABASE_URL, else DATA_DIR/files.
	 */
	fileStore: 'database' | 'filesystem';
	/** Folder of the embedded database, or `memory://` for a throw-away one. */
	pgliteDir: string;
	seedDemo: boolean;
	/** the first administrator of a production database, created at start if missing */
	bootstrapAdmin: { email: string; password: string } | undefined;
	appSecret: string | undefined;
	sessionIdleDays: number;
	/** questionnaires one client (address) may send to one open-link wave per hour */
	surveySubmitsPerHour: number;
	/** ratings one counter kiosk (one enrolled tablet) may send per hour */
	kioskSubmitsPerHour: number;
	/** questions one client (address) may ask per hour */
	questionsPerHour: number;
	/** responses one field interviewer may enter (interviewer mode) per hour, over all waves */
	interviewerSubmitsPerHour: number;
	sessionMaxDays: number;
	/** requests one process handles at once; past it, 503 with Retry-After (see load-shed.ts) */
	maxInFlight: number;
	/** where users get this deployment's source code (AGPL section 13), linked in the footer */
	sourceUrl: string | undefined;
	production: boolean;
	logLevel: Level;
	/** the public address, for links in messages (the built server requires it) */
	origin: string | undefined;
	/** e-mail: where it is sent and from whom; unset, nothing is mailed (`vite dev` keeps a mailbox) */
	mail: { smtpUrl: string; from: string } | undefined;
	/** SMS and Zalo: a signed JSON POST per message to the province's gateway */
	webhook: { url: string; secret: string } | undefined;
	/** how often each server looks for messages to send (it also looks at once after a step) */
	notifyPollSeconds: number;
	/** how often each server looks for the staff's reminders and digests that are due */
	notifyScanSeconds: number;
};

export type ParseOptions = {
	/**
	 * The built server (`node build`, `node server.js`), as opposed to `vite dev`, the tests and
	 * the db:* commands. adapter-node sets no NODE_ENV, so hooks.server.ts tells it by `dev`.
	 */
	server?: boolean;
};

export class ConfigError extends Error {
	constructor(public readonly problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/**
 * Settings adapter-node accepts but that would quietly weaken the server: the per-client rate
 * limits of a whole province counted as one client, or the Host header trusted for the origin.
 */
function proxyProblems(e: z.infer<typeof schema>, { server = false }: ParseOptions): string[] {
	const problems: string[] = [];
	const xff = e.ADDRESS_HEADER?.toLowerCase() === 'x-forwarded-for';
	if (xff && e.XFF_DEPTH === undefined)
		problems.push(
			'XFF_DEPTH: must be set when ADDRESS_HEADER is X-Forwarded-For: the number of proxies in ' +
				'front of the server (1 for one nginx), or clients could forge their address'
		);
	if (!xff && e.XFF_DEPTH !== undefined)
		problems.push(
			'XFF_DEPTH: has no effect unless ADDRESS_HEADER is X-Forwarded-For; every client would ' +
				'share the rate limits of the proxy'
		);
	for (const name of ['PROTOCOL_HEADER', 'HOST_HEADER', 'PORT_HEADER'] as const)
		if (e[name] && !e.ORIGIN)
			problems.push(
				`ORIGIN: must be set (${name} is): the public address, e.g. https://phananh.example.gov.vn; ` +
					'the origin is then never taken from request headers'
			);
	if (server && !e.ORIGIN && !problems.length)
		problems.push(
			'ORIGIN: must be set for the built server: the public address, e.g. ' +
				'https://phananh.example.gov.vn (without it the Host header of each request is trusted)'
		);
	return problems;
}

export function parseConfig(
	env: Record<string, string | undefined>,
	options: ParseOptions = {}
): Config {
	// An empty variable means "not set", as in most shells' `VAR= command`.
	const present = Object.fromEntries(
		Object.entries(env).filter(([, v]) => v !== undefined && v !== '')
	);
	const result = schema.safeParse(present);
	if (!result.success) {
		throw new ConfigError(
			result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
		);
	}
	const e = result.data;
	const proxy = proxyProblems(e, options);
	if (proxy.length) throw new ConfigError(proxy);
	if (!!e.BOOTSTRAP_ADMIN_EMAIL !== !!e.BOOTSTRAP_ADMIN_PASSWORD) {
		throw new ConfigError([
			'BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD: set both or neither'
		]);
	}
	if (e.DATABASE_READ_URL && !e.DATABASE_URL) {
		throw new ConfigError([
			'DATABASE_READ_URL: needs DATABASE_URL (the primary); the embedded database has no replica'
		]);
	}
	if (e.DATABASE_LISTEN_URL && !e.DATABASE_URL) {
		throw new ConfigError([
			'DATABASE_LISTEN_URL: has no effect without DATABASE_URL (the embedded database serves ' +
				'one process, which needs no listening connection); set DATABASE_URL or remove it'
		]);
	}
	if (!!e.SMTP_URL !== !!e.MAIL_FROM) {
		throw new ConfigError(['SMTP_URL and MAIL_FROM: set both or neither']);
	}
	if (!!e.NOTIFY_WEBHOOK_URL !== !!e.NOTIFY_WEBHOOK_SECRET) {
		throw new ConfigError([
			'NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET: set both or neither (the gateway checks the signature)'
		]);
	}
	if (e.SESSION_IDLE_DAYS > e.SESSION_MAX_DAYS) {
		throw new ConfigError(['SESSION_IDLE_DAYS: must not exceed SESSION_MAX_DAYS']);
	}
	return {
		databaseUrl: e.DATABASE_URL,
		databaseListenUrl: e.DATABASE_LISTEN_URL ?? e.DATABASE_URL,
		databasePoolMax: e.DATABASE_POOL_MAX,
		databasePrepared: e.DATABASE_PREPARED,
		databaseReadUrl: e.DATABASE_READ_URL,
		databaseReadPoolMax: e.DATABASE_READ_POOL_MAX,
		dataDir: e.DATA_DIR,
		fileStore: e.FILE_STORE ?? (e.DATABASE_URL ? 'database' : 'filesystem'),
		pgliteDir: e.PGLITE_DIR ?? `${e.DATA_DIR.replace(/\/+$/, '')}/pglite`,
		// Demo accounts have a published password: only on explicit request (`npm run dev` and the
		// tests ask). adapter-node sets no NODE_ENV, so no default may depend on it.
		seedDemo: e.SEED_DEMO ?? false,
		bootstrapAdmin:
			e.BOOTSTRAP_ADMIN_EMAIL && e.BOOTSTRAP_ADMIN_PASSWORD
				? { email: e.BOOTSTRAP_ADMIN_EMAIL, password: e.BOOTSTRAP_ADMIN_PASSWORD }
				: undefined,
		appSecret: e.APP_SECRET,
		sessionIdleDays: e.SESSION_IDLE_DAYS,
		surveySubmitsPerHour: e.SURVEY_SUBMITS_PER_HOUR,
		kioskSubmitsPerHour: e.KIOSK_SUBMITS_PER_HOUR,
		questionsPerHour: e.QUESTIONS_PER_HOUR,
		interviewerSubmitsPerHour: e.INTERVIEWER_SUBMITS_PER_HOUR,
		sessionMaxDays: e.SESSION_MAX_DAYS,
		maxInFlight: e.MAX_IN_FLIGHT,
		sourceUrl: e.SOURCE_URL,
		production: e.NODE_ENV === 'production',
		logLevel: e.LOG_LEVEL,
		origin: e.ORIGIN,
		mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : undefined,
		webhook:
			e.NOTIFY_WEBHOOK_URL && e.NOTIFY_WEBHOOK_SECRET
				? { url: e.NOTIFY_WEBHOOK_URL, secret: e.NOTIFY_WEBHOOK_SECRET }
				: undefined,
		notifyPollSeconds: e.NOTIFY_POLL_SECONDS,
		notifyScanSeconds: e.NOTIFY_SCAN_SECONDS
	};
}

let cached: Config | undefined;

export function config(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}
