import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { m } from '$lib/paraglide/messages';
import {
	cookieName as LOCALE_COOKIE,
	extractLocaleFromRequest,
	getTextDirection,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime';
import { mayEnter, signInUrl, staffAreaOf } from '$lib/server/auth/guards';
import {
	deleteSessionCookie,
	SESSION_COOKIE,
	sessionExpiry,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { config, ConfigError, parseConfig } from '$lib/server/config';
import { closeDb, getDb } from '$lib/server/db';
import { rememberWrite, replicaNote } from '$lib/server/db/read';
import { prepareDatabase } from '$lib/server/setup/prepare';
import { knownMigrations } from '$lib/server/db/migrate';
import { startAggregator } from '$lib/server/analytics/worker';
import { startListener } from '$lib/server/cache/listener';
import { startHousekeeping } from '$lib/server/housekeeping';
import { startNotifications } from '$lib/server/notify/start';
import { cacheControlFor } from '$lib/server/http/cache-control';
import { handleCompression } from '$lib/server/http/compress';
import { filesNotInDatabase } from '$lib/server/files/migrate';
import { loadShedder } from '$lib/server/http/load-shed';
import { handlePageCache } from '$lib/server/http/page-cache';
import { PROBE_PATHS, probes, readiness } from '$lib/server/http/probes';
import { requestLog } from '$lib/server/http/request-log';
import { handleUnavailable } from '$lib/server/http/unavailable';
import { isDatabaseUnavailable } from '$lib/server/db/unavailable';
import { captureConsole, errorFields, log } from '$lib/server/log';
import { loadSharedSecret, useSharedSecret } from '$lib/server/security/rate-limit';

export const init: ServerInit = async () => {
	if (building) return;
	if (!dev) captureConsole();
	let settings;
	try {
		// the built server also refuses settings that would quietly weaken it (ORIGIN unset...)
		parseConfig(process.env, { server: !dev });
		settings = config();
	} catch (e) {
		if (e instanceof ConfigError) {
			log.error(e.message, { problems: e.problems });
			process.exit(1);
		}
		throw e;
	}
	const started = performance.now();
	const db = await getDb();
	const report = await prepareDatabase(db, {
		seedDemo: settings.seedDemo,
		bootstrapAdmin: settings.bootstrapAdmin
	});
	if (!settings.appSecret) useSharedSecret(await loadSharedSecret(db));
	log.info(
		`database ready in ${Math.round(performance.now() - started)} ms` +
			(report.migrations.length ? `; migrations applied: ${report.migrations.join(', ')}` : '') +
			(report.adminUnitsLoaded ? '; administrative units loaded' : '') +
			(report.instrumentsCreated.length
				? `; instruments ${report.instrumentsCreated.join(', ')} published`
				: '') +
			(report.demoSeeded ? '; demo data seeded' : '') +
			(report.adminCreated ? '; first administrator created' : '')
	);
	if (report.noAdmin)
		log.warn(
			'no administrator account yet: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD and ' +
				'restart to create the first one (demo accounts exist only with SEED_DEMO=true)'
		);
	const unmoved = settings.fileStore === 'database' ? await filesNotInDatabase(db) : 0;
	if (unmoved)
		log.warn(
			`${unmoved} recorded files are not in the database file store and are served as 404: ` +
				'copy them from DATA_DIR/files with `npm run files:migrate -- --to database` ' +
				'(or set FILE_STORE=filesystem)'
		);
	const aggregator = startAggregator(db);
	const housekeeping = startHousekeeping(db);
	const notifier = startNotifications(db, settings, dev);
	// other servers' changes (PostgreSQL only: the embedded database has no other server)
	const listener = settings.databaseListenUrl
		? startListener({ url: settings.databaseListenUrl, db })
		: undefined;
	// adapter-node emits this after SIGTERM/SIGINT once in-flight requests have finished.
	process.once('sveltekit:shutdown', async () => {
		await housekeeping.stop();
		await notifier.stop();
		await listener?.stop();
		await aggregator.stop();
		await closeDb();
		log.info('database closed');
	});
};

// Every m() call while a request is handled speaks the request's language. This is what
// paraglideMiddleware does for the cookie strategy, without the copy of every request (body
// included) it makes for URL strategies, which this site does not use.
const localeStore = new AsyncLocalStorage<{ locale?: Locale }>();
overwriteServerAsyncLocalStorage(localeStore);

const handleLocale: Handle = ({ event, resolve }) => {
	const locale = extractLocaleFromRequest(event.request);
	return localeStore.run({ locale }, () =>
		resolve(event, {
			transformPageChunk: ({ html }) =>
				html
					.replace('%paraglide.lang%', locale)
					.replace('%paraglide.dir%', getTextDirection(locale))
		})
	);
};

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { sessionIdleDays: idleDays, sessionMaxDays: maxDays } = config();
		const policy = { idleDays, maxDays };
		const result = await validateSessionToken(await getDb(), token, policy);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.refreshed) {
				setSessionCookie(event.cookies, token, sessionExpiry(result.session, policy), !dev);
			}
		} else {
			deleteSessionCookie(event.cookies, !dev);
		}
	}
	// a change made by a signed-in user: their next analytics pages read the primary (db/read.ts)
	if (event.locals.user && event.request.method !== 'GET' && event.request.method !== 'HEAD')
		await rememberWrite(event.cookies, !dev);
	// A backstop for every staff route: no session -> sign-in; a form action (any non-GET)
	// without the role -> 403 before the action runs. GET pages get their localized 403 page from
	// (staff)/+layout.server.ts, and each load and action still calls requireArea itself.
	const area = staffAreaOf(event.route.id);
	if (area) {
		if (!event.locals.user) redirect(303, signInUrl(event.url));
		if (
			event.request.method !== 'GET' &&
			event.request.method !== 'HEAD' &&
			!mayEnter(event.locals.user, area)
		) {
			return new Response(m.error_forbidden(), {
				status: 403,
				headers: { 'content-type': 'text/plain; charset=utf-8' }
			});
		}
	}
	return resolve(event);
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
	if (event.url.protocol === 'https:') {
		headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	headers.set(
		'Cache-Control',
		cacheControlFor({
			routeId: event.route.id,
			signedIn: !!event.locals.user,
			personalCookie: event.cookies.getAll().some(({ name }) => name !== LOCALE_COOKIE),
			setsCookie: headers.has('set-cookie'),
			current: headers.get('cache-control')
		})
	);
	return response;
};

// `?/default` names the default action explicitly, which SvelteKit treats as a programming error
// (500); from a client it is only a bad request.
const handleActionName: Handle = ({ event, resolve }) => {
	if (event.request.method === 'POST' && event.url.searchParams.has('/default'))
		return new Response(m.error_invalid_request(), {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	return resolve(event);
};

const shedder = loadShedder(() => config().maxInFlight);

export const handle = sequence(
	requestLog({
		logger: log,
		label: (event) => (PROBE_PATHS.has(event.url.pathname) ? event.url.pathname : null),
		quiet: (event) => PROBE_PATHS.has(event.url.pathname)
	}),
	probes(async () => {
		const state = await readiness(getDb, knownMigrations);
		const note = state.ready ? await replicaNote() : undefined;
		return note ? { ...state, note } : state;
	}),
	// in `vite dev` the browser talks to Vite, which compresses nothing either
	...(dev ? [] : [handleCompression]),
	handleLocale,
	shedder.handle,
	handleUnavailable,
	handleSession,
	handleHeaders,
	handleActionName,
	handlePageCache
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	// the request's own id: the one in its log line and its X-Request-Id
	const id = event.locals.requestId ?? randomUUID();
	// the route id, never the address: it may hold a tracking token or a query
	const where = { id, method: event.request.method, route: event.route.id, status };
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		log.warn('database unavailable', { ...where, reason: (error as Error).message });
		return { message: m.error_unavailable({ id }), id, unavailable: true };
	}
	if (status >= 500) log.error('request failed', { ...where, ...errorFields(error) });
	return {
		// a client's mistake the framework caught (415 not a form, 413 too large...) is not a
		// server error: it says what was wrong, without an id to report
		message:
			status === 404
				? m.error_not_found()
				: status === 413
					? m.error_too_large()
					: status < 500
						? m.error_invalid_request()
						: m.error_server({ id }),
		id
	};
};
