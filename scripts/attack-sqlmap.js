#!/usr/bin/env node
// Black-box SQL injection scan of the production build with sqlmap (Debian 1.7.2), on PostgreSQL:
// a throw-away database (named from BENCH_DATABASE_URL or TEST_DATABASE_URL) seeded with the demo.
// The targets are found, not listed by hand: the route tree under src/routes, a crawl of the pages
// each demo role can see (anonymous, admin, officials, moderator, analyst), every <form> on them
// (method, action, input/select/textarea/button names), the query parameters the pages read and
// their links carry, and each route's path parameters. sqlmap tests every parameter of every
// target (--level 3 --risk 2 by default; SQLMAP_LEVEL, SQLMAP_RISK), staff ones with that role's
// session cookie, POSTs with the Origin header SvelteKit's CSRF check wants. Forms with an
// idempotency key get a fresh one per request (sqlmap's --csrf-token), and the key is tested apart.
// Rate limits are raised through the environment where the config allows, and triggers in the
// throw-away database keep every counter at one hit and every sign-in failure count at zero (the
// sign-in delays are not configurable), so the code behind each limit is reached. Bounded: each target is killed after SQLMAP_TARGET_SECONDS
// or SQLMAP_PARAM_SECONDS per parameter, whichever is longer,
// SQLMAP_TOTAL_MINUTES for the whole scan; SQLMAP_JOBS targets at a time. Loopback only.
// Needs `npm run build` first. Prints a table, then JSON lines; exits 1 if anything is injectable.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import pg from 'pg';
import { startServer as start, stopServer } from './lib/harness.js';

const LEVEL = process.env.SQLMAP_LEVEL ?? '3';
const RISK = process.env.SQLMAP_RISK ?? '2';
const TARGET_SECONDS = Number(process.env.SQLMAP_TARGET_SECONDS ?? 600);
// the survey's 37 answers took 40-55 s each on a busy 2-core machine
const PARAM_SECONDS = Number(process.env.SQLMAP_PARAM_SECONDS ?? 90);
const TOTAL_MINUTES = Number(process.env.SQLMAP_TOTAL_MINUTES ?? 150);
const JOBS = Number(process.env.SQLMAP_JOBS ?? 2);
const THREADS = process.env.SQLMAP_THREADS ?? '2';
const ONLY = process.env.SQLMAP_ONLY ? new RegExp(process.env.SQLMAP_ONLY) : null;
// SQLMAP_DRY=1 lists the targets and the sqlmap command of each without running it
const DRY = !!process.env.SQLMAP_DRY;
const port = Number(process.env.BENCH_PORT ?? 4286);
const origin = `http://localhost:${port}`;
const PASSWORD = 'CivicVoice-demo-2026';
const SESSION_COOKIE = 'cv_session';
const LOCALE_COOKIE = 'PARAGLIDE_LOCALE';

/** Demo staff, in the order their targets run: the admin's own actions (roles, accounts) last. */
const ROLES = /** @type {const} */ ({
	analyst: 'phantich@demo.civicvoice.vn',
	official: 'canbo.noivu@demo.civicvoice.vn',
	communeOfficial: 'canbo.vixuyen@demo.civicvoice.vn',
	communeApprover: 'lanhdao.vixuyen@demo.civicvoice.vn',
	moderator: 'kiemduyet@demo.civicvoice.vn',
	interviewer: 'dieutravien@demo.civicvoice.vn',
	admin: 'admin@demo.civicvoice.vn'
});
/** @typedef {'anonymous' | keyof typeof ROLES} Role */

/**
 * Query parameters the pages read (grep `searchParams` in src/routes), by route, with a plausible
 * value; a crawled link's own query string adds to these. The analytics filters come from the
 * filter form on the wave page.
 * @type {Record<string, Record<string, string>>}
 */
const KNOWN_QUERY = {
	'/questions': {
		q: 'giấy',
		topic: 'dat-dai',
		unit: '1',
		agency: '1',
		state: 'answered',
		sort: 'recent',
		page: '1'
	},
	'/disclosures': { q: 'ngân sách', type: 'budget', unit: '1', period: '2026', page: '1' },
	'/plans': { unit: '1' },
	'/api/disclosures': { page: '1' },
	'/sign-in': { next: '/staff' },
	'/questions/similar': { q: 'giấy khai sinh' },
	'/questions/ask': { about: '1' },
	'/questions/track/[token]': { new: '1' },
	'/surveys/[slug]': { lost: '1' },
	'/surveys/[slug]/thanks': { receipt: 'ABCD-1234' },
	'/surveys/[slug]/review': { check: '1' },
	'/surveys/[slug]/step/[n]': { check: '1' },
	'/disclosures/[id]/tables/[fid]': { format: 'json' },
	'/admin/calendar': { year: '2026' },
	'/officials/plans/[id]/tasks/new': { measure: 'A1' },
	'/officials/plans/[id]/report': { period: '2026-Q1' },
	'/officials/disclosures/compliance': { state: 'overdue' },
	'/officials/questions': { view: 'mine' },
	'/fieldwork/instruments/[id]/export': { version: '1' },
	'/fieldwork/instruments/[id]/preview': { version: '1' }
};
/** Never crawled nor attacked: it would end the session the scan is using. */
const SKIP_PATHS = [/^\/sign-out/];

// ---------------------------------------------------------------------------------------------
// The route tree

/** @typedef {{ route: string, regex: RegExp, params: string[], page: boolean }} Route */

/** @returns {Route[]} */
function routeTree() {
	const root = join(process.cwd(), 'src', 'routes');
	/** @type {Route[]} */
	const routes = [];
	/** @param {string} dir */
	const walk = (dir) => {
		const entries = readdirSync(dir);
		const page = entries.includes('+page.svelte');
		if (page || entries.some((e) => /^\+server\.(ts|js)$/.test(e))) {
			const segments = relative(root, dir)
				.split(sep)
				.filter((s) => s && !/^\(.*\)$/.test(s));
			const route = `/${segments.join('/')}`;
			const params = segments.flatMap((s) => [...s.matchAll(/\[(\w+)\]/g)].map((m) => m[1]));
			const pattern = segments
				.map((s) => s.replace(/\[\w+\]/g, '([^/]+)').replace(/\./g, '\\.'))
				.join('/');
			routes.push({ route, regex: new RegExp(`^/${pattern}/?$`), params, page });
		}
		for (const e of entries) if (statSync(join(dir, e)).isDirectory()) walk(join(dir, e));
	};
	walk(root);
	// a static segment wins over a parameter, as in SvelteKit: /questions/ask before /questions/[code]
	return routes.sort((a, b) => a.params.length - b.params.length);
}

/** @param {Route[]} routes @param {string} path */
function routeOf(routes, path) {
	return routes.find((r) => r.regex.test(path));
}

// ---------------------------------------------------------------------------------------------
// HTML: links and forms

/** @param {string} s */
const decode = (s) =>
	s
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');

/** @param {string} tag */
function attributes(tag) {
	/** @type {Record<string, string>} */
	const attrs = {};
	for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g))
		attrs[m[1].toLowerCase()] ??= decode(m[2] ?? m[3] ?? m[4] ?? '');
	return attrs;
}

/**
 * A value the server will accept, for a field that has none: a payload in one field reaches the
 * database only when the form's other fields pass validation (lengths, ranges, years).
 * @param {string} type @param {string} name @param {Record<string, string>} a the field's attributes
 */
function sampleValue(type, name, a) {
	if (type === 'email' || /email/i.test(name)) return 'test@example.com';
	if (/year/i.test(name)) return '2026';
	if (type === 'number' || type === 'range') return a.min || '1';
	if (type === 'date') return '2026-12-01';
	if (type === 'datetime-local') return '2026-12-01T09:00';
	if (type === 'month') return '2026-12';
	if (type === 'tel' || /phone/i.test(name)) return '0912345678';
	if (type === 'url') return 'https://example.com/';
	if (type === 'password') return 'Sqlmap-test-password-2026';
	return 'Kiểm tra bảo mật tự động';
}

/** @typedef {{ method: 'GET' | 'POST', action: URL, fields: [string, string][], files: string[] }} Form */

/** @param {string} html @param {URL} page @returns {Form[]} */
function formsOf(html, page) {
	/** @type {Form[]} */
	const forms = [];
	for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
		const attrs = attributes(m[1]);
		const method = (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
		const action = new URL(attrs.action || page.href, page);
		/** @type {Map<string, string>} */
		const fields = new Map();
		/** @type {string[]} */
		const files = [];
		const body = m[2];
		for (const t of body.matchAll(/<(input|button)\b([^>]*)>/gi)) {
			const a = attributes(t[2]);
			const type = (a.type ?? (t[1].toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
			if (!a.name || fields.has(a.name)) continue;
			if (type === 'file') {
				files.push(a.name);
				continue;
			}
			if (['submit', 'button', 'reset', 'image'].includes(type) && a.value === undefined) continue;
			// a honeypot (hidden from people, left empty by them) must stay empty or the form is
			// dropped as a bot's before its other fields reach the database
			const honeypot = a.tabindex === '-1' || a.name === 'website';
			fields.set(a.name, honeypot ? '' : a.value || sampleValue(type, a.name, a));
		}
		for (const t of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
			const a = attributes(t[1]);
			if (!a.name || fields.has(a.name)) continue;
			const options = [...t[2].matchAll(/<option\b([^>]*)>/gi)].map((o) => attributes(o[1]));
			fields.set(a.name, options.find((o) => o.value)?.value ?? '1');
		}
		for (const t of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
			const a = attributes(t[1]);
			if (!a.name || fields.has(a.name)) continue;
			fields.set(
				a.name,
				decode(t[2]).trim() || 'Nội dung thử nghiệm của lần quét bảo mật tự động, đủ dài.'
			);
		}
		forms.push({ method, action, fields: [...fields], files });
	}
	return forms;
}

/** @param {string} html @param {URL} page */
function linksOf(html, page) {
	/** @type {URL[]} */
	const links = [];
	for (const m of html.matchAll(/<a\b[^>]*?\shref="([^"]+)"/gi)) {
		try {
			const url = new URL(decode(m[1]), page);
			if (url.origin === origin) links.push(url);
		} catch {
			// not an address
		}
	}
	return links;
}

// ---------------------------------------------------------------------------------------------
// The server, the database, the sessions

/** @param {Record<string, string>} env */
const startServer = (env) =>
	start({
		port,
		env: {
			...env,
			SEED_DEMO: 'true',
			SURVEY_SUBMITS_PER_HOUR: '1000000',
			QUESTIONS_PER_HOUR: '100000'
		},
		timeoutMs: 180_000
	});

/** @param {string} email @returns {Promise<string>} the session cookie's value */
async function signIn(email) {
	const res = await fetch(`${origin}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html'
		},
		body: new URLSearchParams({ email, password: PASSWORD, next: '/staff' })
	});
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.match(new RegExp(`^${SESSION_COOKIE}=([^;]+)`))?.[1])
		.find(Boolean);
	if (res.status !== 303 || !cookie) throw new Error(`sign-in as ${email}: ${res.status}`);
	return cookie;
}

/**
 * Objects the demo data lacks, made once through the app's own forms before the crawl, so that
 * the pages about them are reached: a citizen's question (its tracking page) and a plan.
 * @type {{ role: Role, page: string, action: string }[]}
 */
const PREPARE = [
	{ role: 'anonymous', page: '/questions/ask', action: '/questions/ask?/ask' },
	{ role: 'official', page: '/officials/plans', action: '/officials/plans' }
];

/**
 * Sends the form of `page` whose action is `action` with its sample values; the address it
 * redirects to, or null.
 * @param {string | undefined} session @param {string} page @param {string} action
 */
async function prepare(session, page, action) {
	const headers = /** @type {Record<string, string>} */ ({ accept: 'text/html' });
	if (session) headers.cookie = `${SESSION_COOKIE}=${session}`;
	const url = new URL(page, origin);
	const html = await (await fetch(url, { headers })).text();
	const form = formsOf(html, url).find(
		(f) => f.method === 'POST' && f.action.pathname + f.action.search === action
	);
	if (!form) return null;
	const res = await fetch(form.action, {
		method: 'POST',
		redirect: 'manual',
		headers: { ...headers, origin, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form.fields)
	});
	await res.arrayBuffer();
	const location = res.headers.get('location');
	return res.status === 303 && location
		? new URL(location, origin).pathname + new URL(location, origin).search
		: null;
}

/** @param {string | undefined} session */
async function sessionValid(session) {
	if (!session) return true;
	const res = await fetch(`${origin}/staff`, {
		redirect: 'manual',
		headers: { cookie: `${SESSION_COOKIE}=${session}` }
	});
	await res.arrayBuffer();
	return res.status === 200;
}

// ---------------------------------------------------------------------------------------------
// Crawl and targets

/**
 * @typedef {{
 *   id: string, role: Role, method: 'GET' | 'POST', url: string, data?: string, params: string[],
 *   place: string, csrf?: { token: string, url: string }, skip?: string[], note?: string,
 *   risky?: boolean, route?: string
 * }} Target
 */

const MAX_PAGES_PER_ROLE = Number(process.env.SQLMAP_CRAWL_PAGES ?? 250);
const MAX_URLS_PER_ROUTE = 4;
/** Addresses no link leads to: the multi-page survey's steps and review, a receipt page. */
const EXTRA_URLS = [
	'/surveys/papi-tuyen-quang-2026/step/1',
	'/surveys/papi-tuyen-quang-2026/review',
	'/surveys/sipas-mot-cua-vi-xuyen-2026/thanks?receipt=ABCD-1234',
	'/questions/similar?q=gi%E1%BA%A5y',
	'/api/disclosures?page=1'
];

/**
 * Fetches the pages one role can reach from the static routes, following links inside the site.
 * @param {Route[]} routes @param {Role} role @param {string | undefined} session
 */
async function crawl(routes, role, session, extra = /** @type {string[]} */ ([])) {
	const headers = /** @type {Record<string, string>} */ ({ accept: 'text/html' });
	if (session) headers.cookie = `${SESSION_COOKIE}=${session}`;
	/** @type {{ url: URL, route: Route, html: string }[]} */
	const pages = [];
	/** @type {{ url: URL, route: Route }[]} */
	const links = [];
	/** @type {Map<string, number>} */
	const perRoute = new Map();
	/** routes that answered this role with 200, and the addresses that did */
	const answered = new Set();
	const fetched = new Set();
	const seen = new Set();
	const queue = [
		...routes.filter((r) => r.params.length === 0).map((r) => r.route),
		...EXTRA_URLS,
		...extra
	].map((path) => new URL(path, origin));
	while (queue.length && pages.length < MAX_PAGES_PER_ROLE) {
		const url = /** @type {URL} */ (queue.shift());
		const key = url.pathname + url.search;
		if (seen.has(key) || SKIP_PATHS.some((s) => s.test(url.pathname))) continue;
		seen.add(key);
		const route = routeOf(routes, url.pathname);
		if (!route) continue;
		links.push({ url, route });
		const count = perRoute.get(route.route) ?? 0;
		if (count >= MAX_URLS_PER_ROUTE || url.search.startsWith('?/')) continue;
		perRoute.set(route.route, count + 1);
		let res;
		try {
			res = await fetch(url, { headers, redirect: 'manual' });
		} catch {
			continue;
		}
		if (res.status === 200) {
			answered.add(route.route);
			fetched.add(key);
		}
		if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('text/html')) {
			await res.arrayBuffer();
			continue;
		}
		const html = await res.text();
		pages.push({ url, route, html });
		for (const link of linksOf(html, url)) queue.push(link);
	}
	return { role, pages, links, answered, fetched };
}

/**
 * @param {Route[]} routes
 * @param {Awaited<ReturnType<typeof crawl>>[]} crawls
 * @param {Set<string>} protectedIds ids of the accounts the scan signs in with
 * @returns {Target[]}
 */
function targetsOf(routes, crawls, protectedIds) {
	/** @type {Map<string, Target>} */
	const targets = new Map();
	/** `route param` of the query parameters a GET target already tests */
	const covered = new Set();
	/** @param {Target} t @param {boolean} [replace] */
	const add = (t, replace = false) => {
		if (ONLY && !ONLY.test(t.id)) return;
		if (!targets.has(t.id) || replace) targets.set(t.id, t);
		if (t.place === 'GET' && t.route) for (const p of t.params) covered.add(`${t.route} ${p}`);
	};
	const urlOf = (/** @type {URL} */ u) => u.href;
	for (const { role, pages, links, answered, fetched } of crawls) {
		// forms
		for (const page of pages) {
			for (const form of formsOf(page.html, page.url)) {
				if (SKIP_PATHS.some((s) => s.test(form.action.pathname))) continue;
				const route = routeOf(routes, form.action.pathname);
				if (!route) continue;
				const names = form.fields.map(([n]) => n);
				if (!names.length) continue;
				const actionName = form.action.search.startsWith('?/') ? form.action.search : '';
				const id = `${form.method} ${route.route}${actionName}`;
				// an instance acting on the scan's own accounts (disable, revoke) would end its sessions
				const risky = form.fields.some(([, v]) => protectedIds.has(v));
				const existing = targets.get(id);
				// one target per action: the instance with every field the others have (options,
				// an interviewer's field), and not one aimed at a scanning account
				const had = existing?.params ?? [];
				const sameRole = existing?.role === role;
				const more = names.length > had.length && had.every((n) => names.includes(n));
				const safer = !!existing?.risky && !risky && had.every((n) => names.includes(n));
				const replace = sameRole && (more || safer);
				const data = new URLSearchParams(form.fields).toString();
				const note = form.files.length ? `file fields not tested: ${form.files.join(', ')}` : '';
				if (existing && !replace) {
					// another role's form for the same action has fields of its own (an interviewer's):
					// those alone are tested, with that role's session
					const extra = names.filter((n) => !had.includes(n) && n !== 'submit_key');
					if (!sameRole && extra.length && form.method === 'POST')
						add({
							id: `${id} (${role}'s own fields)`,
							role,
							method: 'POST',
							url: urlOf(form.action),
							data,
							params: extra,
							place: 'POST',
							note,
							risky,
							csrf: names.includes('submit_key')
								? { token: 'submit_key', url: urlOf(page.url) }
								: undefined
						});
					continue;
				}
				if (form.method === 'GET') {
					const url = new URL(form.action.pathname, origin);
					url.search = data;
					add(
						{
							id,
							role,
							method: 'GET',
							url: urlOf(url),
							params: names,
							place: 'GET',
							route: route.route,
							note,
							risky
						},
						replace
					);
					continue;
				}
				const hasKey = names.includes('submit_key');
				const base = {
					role,
					method: /** @type {const} */ ('POST'),
					url: urlOf(form.action),
					data,
					place: 'POST',
					note,
					risky
				};
				if (hasKey) {
					// a fresh idempotency key for every request, or each payload would meet the first
					// answer's receipt; the key itself is tested apart, with the page's key
					add(
						{
							...base,
							id,
							params: names.filter((n) => n !== 'submit_key'),
							csrf: { token: 'submit_key', url: urlOf(page.url) }
						},
						replace
					);
					add({ ...base, id: `${id} (submit_key)`, params: ['submit_key'] }, replace);
				} else {
					add({ ...base, id, params: names }, replace);
				}
			}
		}
		// query parameters: what the route reads, plus what its links carry
		/** @type {Map<string, { url: URL, params: Map<string, string> }>} */
		const byRoute = new Map();
		for (const { url, route } of links) {
			if (url.search.startsWith('?/')) continue;
			const entry = byRoute.get(route.route) ?? { url, params: new Map() };
			for (const [k, v] of url.searchParams) if (!entry.params.has(k)) entry.params.set(k, v);
			byRoute.set(route.route, entry);
		}
		for (const [route, entry] of byRoute) {
			if (!answered.has(route)) continue;
			for (const [k, v] of Object.entries(KNOWN_QUERY[route] ?? {}))
				if (!entry.params.has(k)) entry.params.set(k, v);
			// the parameters a filter form sends are tested with that form; the rest here
			const names = [...entry.params.keys()].filter((k) => !covered.has(`${route} ${k}`));
			if (!names.length) continue;
			const url = new URL(entry.url.pathname, origin);
			url.search = new URLSearchParams([...entry.params]).toString();
			add({
				id: `GET ${route}?${names.join(',')}`,
				role,
				method: 'GET',
				url: urlOf(url),
				params: names,
				place: 'GET',
				route
			});
		}
		// path parameters: the first address of each route with some that answered 200
		/** @type {Set<string>} */
		const done = new Set();
		for (const { url, route } of links) {
			if (!route.params.length || done.has(route.route)) continue;
			if (!fetched.has(url.pathname + url.search)) continue;
			done.add(route.route);
			const match = /** @type {RegExpExecArray} */ (route.regex.exec(url.pathname));
			let path = url.pathname;
			// mark the last value of each parameter, from the end so earlier offsets hold
			for (let i = route.params.length; i >= 1; i--) {
				const value = match[i];
				const at = path.lastIndexOf(`/${value}`);
				if (at >= 0)
					path = `${path.slice(0, at + 1 + value.length)}*${path.slice(at + 1 + value.length)}`;
			}
			add({
				id: `GET ${route.route} (path)`,
				role,
				method: 'GET',
				// with the address's own query (a preview needs its ?version=), tested elsewhere
				url: `${origin}${path}${url.search}`,
				params: route.params.map((p) => `[${p}]`),
				place: 'URI',
				skip: [
					'user-agent',
					'referer',
					'host',
					SESSION_COOKIE,
					LOCALE_COOKIE,
					...url.searchParams.keys()
				]
			});
		}
	}
	// headers and cookies, once for the public site and once behind a session
	add({
		id: 'GET /questions (headers, locale cookie)',
		role: 'anonymous',
		method: 'GET',
		url: `${origin}/questions`,
		params: ['User-Agent', 'Referer', LOCALE_COOKIE],
		place: 'header/cookie'
	});
	add({
		id: 'GET /staff (session cookie)',
		role: 'official',
		method: 'GET',
		url: `${origin}/staff`,
		params: [SESSION_COOKIE, LOCALE_COOKIE],
		place: 'cookie'
	});
	// each role's reads before its writes: an attack on a form (remove a question, move it) may
	// take away the object whose address a later target needs
	const order = ['anonymous', ...Object.keys(ROLES)];
	return [...targets.values()].sort(
		(a, b) =>
			order.indexOf(a.role) - order.indexOf(b.role) ||
			Number(a.method === 'POST') - Number(b.method === 'POST')
	);
}

// ---------------------------------------------------------------------------------------------
// sqlmap

/** How to stop each sqlmap now running; Ctrl-C (or SIGTERM) stops them and prints what was done. */
/** @type {Set<() => void>} */
const running = new Set();
let interrupted = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
	process.on(signal, () => {
		if (interrupted) return;
		interrupted = true;
		console.error(`\n${signal}: stopping the running sqlmaps, then printing what was done`);
		for (const kill of running) kill();
	});

/** @param {Target} target @param {string} why @returns {Outcome} */
const notRun = (target, why) => ({
	target,
	status: 'not run',
	tested: [],
	injectable: [],
	detail: why,
	seconds: 0
});

function ensureSqlmap() {
	const found = spawnSync('sqlmap', ['--version'], { encoding: 'utf8' });
	if (found.status === 0) return found.stdout.split('\n')[0].trim();
	if (process.getuid?.() !== 0)
		throw new Error('sqlmap is not installed: `sudo apt-get install -y sqlmap` (Debian 1.7.2)');
	console.error('installing sqlmap (apt-get install -y sqlmap)...');
	const installed = spawnSync('apt-get', ['install', '-y', 'sqlmap'], { stdio: 'inherit' });
	if (installed.status !== 0) throw new Error('apt-get install -y sqlmap failed');
	return spawnSync('sqlmap', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
}

/**
 * @typedef {{
 *   target: Target, status: 'not injectable' | 'INJECTABLE' | 'suspect' | 'capped' | 'error' | 'not run',
 *   tested: string[], injectable: string[], detail: string, seconds: number
 * }} Outcome
 */

/**
 * @param {Target} target @param {string | undefined} session @param {string} dir
 * @param {number} deadline
 * @returns {Promise<Outcome>}
 */
function runSqlmap(target, session, dir, deadline) {
	if (interrupted) return Promise.resolve(notRun(target, 'interrupted'));
	const cookies = [`${LOCALE_COOKIE}=vi`];
	if (session) cookies.push(`${SESSION_COOKIE}=${session}`);
	const args = [
		'-u',
		target.url,
		'--batch',
		'--level',
		LEVEL,
		'--risk',
		RISK,
		'--dbms=PostgreSQL',
		'--flush-session',
		`--output-dir=${dir}`,
		'--timeout=15',
		'--retries=1',
		'--drop-set-cookie',
		'--disable-coloring',
		'--ignore-code=401,403',
		`--cookie=${cookies.join('; ')}`,
		'-H',
		'Accept: text/html'
	];
	if (target.method === 'POST') args.push(`--data=${target.data}`, '-H', `Origin: ${origin}`);
	if (target.place === 'URI') args.push(`--skip=${(target.skip ?? []).join(',')}`);
	else args.push('-p', target.params.join(','));
	// sqlmap refuses --threads with --csrf-url: a fresh key per request is fetched one at a time
	if (target.csrf) args.push(`--csrf-token=${target.csrf.token}`, `--csrf-url=${target.csrf.url}`);
	else args.push(`--threads=${THREADS}`);
	const started = performance.now();
	return new Promise((resolve) => {
		const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let log = '';
		child.stdout.on('data', (c) => (log += c));
		child.stderr.on('data', (c) => (log += c));
		let capped = false;
		const cap = Math.min(
			Math.max(TARGET_SECONDS, target.params.length * PARAM_SECONDS) * 1000,
			Math.max(0, deadline - Date.now())
		);
		const kill = () => {
			capped = true;
			// sqlmap and its own children: the process group this spawn started
			try {
				process.kill(-(/** @type {number} */ (child.pid)), 'SIGTERM');
				setTimeout(() => {
					try {
						process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
					} catch {
						// already gone
					}
				}, 5000).unref();
			} catch {
				// already gone
			}
		};
		const timer = setTimeout(kill, cap);
		running.add(kill);
		child.on('close', (code) => {
			clearTimeout(timer);
			running.delete(kill);
			// eslint-disable-next-line no-control-regex
			const text = log.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]/g, '');
			writeFileSync(join(dir, 'sqlmap.log'), `sqlmap ${args.join(' ')}\n\n${text}`);
			resolve(outcomeOf(target, text, code, capped, (performance.now() - started) / 1000));
		});
	});
}

/**
 * @param {Target} target @param {string} text @param {number | null} code @param {boolean} capped
 * @param {number} seconds
 * @returns {Outcome}
 */
function outcomeOf(target, text, code, capped, seconds) {
	const tested = [
		...new Set(
			[
				...text.matchAll(/testing for SQL injection on (?:\(custom\) )?\S+ parameter '([^']+)'/g)
			].map((m) => m[1])
		)
	];
	const injectable = [
		...new Set(
			[
				...text.matchAll(/^Parameter: (.+?) \(/gm),
				...text.matchAll(/parameter '([^']+)' is vulnerable/g)
			].map((m) => m[1])
		)
	];
	const identified =
		/sqlmap identified the following injection point|is vulnerable\. Do you want/.test(text);
	const appears = [...text.matchAll(/parameter '([^']+)' appears to be '.*' injectable/g)].map(
		(m) => m[1]
	);
	const critical = [...text.matchAll(/\[CRITICAL\] (.*)/g)].map((m) => m[1]);
	/** @type {Outcome['status']} */
	let status;
	let detail = '';
	if (identified || injectable.length) {
		status = 'INJECTABLE';
		detail = injectable.join(', ');
	} else if (capped) {
		status = 'capped';
		detail = `killed after ${seconds.toFixed(0)} s, ${tested.length} of ${target.params.length} started`;
	} else if (appears.length) {
		status = 'suspect';
		detail = `appeared injectable, then dropped: ${[...new Set(appears)].join(', ')}`;
	} else if (/all tested parameters do not appear to be injectable/.test(text)) {
		status = 'not injectable';
	} else {
		status = 'error';
		detail = critical[0] ?? `sqlmap exited with ${code}`;
	}
	return { target, status, tested, injectable, detail, seconds };
}

// ---------------------------------------------------------------------------------------------
// The run

const version = ensureSqlmap();
const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!adminUrl) {
	console.error(
		'attack:sqlmap runs on PostgreSQL: set TEST_DATABASE_URL (or BENCH_DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/test; the script creates and drops its own database there.'
	);
	process.exit(2);
}
const dbName = `cv_sqlmap_${Date.now()}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const work = mkdtempSync(join(tmpdir(), 'civic-voice-sqlmap-'));

/** @type {Outcome[]} */
const outcomes = [];
/** @type {Target[]} */
let targets = [];
/** @type {string[]} */
const unreached = [];
let broken = false;
const started = Date.now();
const deadline = started + TOTAL_MINUTES * 60_000;
/** @type {pg.Client | undefined} */
let db;
try {
	const server = await startServer({
		DATABASE_URL: dbUrl.toString(),
		DATABASE_POOL_MAX: '8',
		WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1'
	});
	try {
		db = new pg.Client({ connectionString: dbUrl.toString() });
		await db.connect();
		const client = db;
		// Every rate limit of this throw-away database counts one hit, and every sign-in failure
		// count stays at zero, whatever came before, so the code behind each limit (the sign-in
		// delays too, which no setting relaxes) is reached on every request, and answers do not
		// flip between "wrong password" and "too many tries" (which sqlmap would take for a
		// boolean injection).
		await client.query(`create function cv_scan_no_limits() returns trigger language plpgsql as
			$$ begin new.hits := 1; return new; end $$;
			create trigger cv_scan_no_limits before insert or update on rate_limit
			for each row execute function cv_scan_no_limits();
			create function cv_scan_no_sign_in_delays() returns trigger language plpgsql as
			$$ begin new.failures := 0; return new; end $$;
			create trigger cv_scan_no_sign_in_delays before insert or update on sign_in_failure
			for each row execute function cv_scan_no_sign_in_delays()`);

		/** @type {Partial<Record<Role, string>>} */
		const sessions = {};
		for (const [role, email] of Object.entries(ROLES))
			sessions[/** @type {Role} */ (role)] = await signIn(email);
		const ids = await db.query('select id from app_user where email = any($1)', [
			Object.values(ROLES)
		]);
		const protectedIds = new Set(ids.rows.map((r) => String(r.id)));

		const routes = routeTree();
		/** @type {Partial<Record<Role, string[]>>} */
		const made = {};
		for (const p of PREPARE) {
			const at = await prepare(sessions[p.role], p.page, p.action);
			if (at) (made[p.role] ??= []).push(at);
			else
				console.log(
					`  (could not create an object through ${p.action}: its pages may not be reached)`
				);
		}
		const crawls = [await crawl(routes, 'anonymous', undefined, made.anonymous)];
		for (const role of /** @type {Role[]} */ (Object.keys(ROLES)))
			crawls.push(await crawl(routes, role, sessions[role], made[role]));
		const reached = new Set(crawls.flatMap((c) => c.links.map((l) => l.route.route)));
		for (const r of routes) if (!reached.has(r.route)) unreached.push(r.route);
		targets = targetsOf(routes, crawls, protectedIds);
		console.log(
			`sqlmap ${version}: ${targets.length} targets, ${targets.reduce((n, t) => n + t.params.length, 0)} parameters, level ${LEVEL}, risk ${RISK}, ${JOBS} at a time, cap per target max(${TARGET_SECONDS} s, ${PARAM_SECONDS} s per parameter), and ${TOTAL_MINUTES} min in all; logs in ${work}`
		);

		/**
		 * A staff target's session, renewed when a previous attack ended it (say, a disabled account).
		 * @param {Role} role
		 */
		const sessionFor = async (role) => {
			if (role === 'anonymous') return undefined;
			if (await sessionValid(sessions[role])) return sessions[role];
			await client.query('update app_user set disabled_at = null where email = $1', [ROLES[role]]);
			sessions[role] = await signIn(ROLES[role]);
			console.log(`  (signed in again as ${role})`);
			return sessions[role];
		};

		if (DRY) {
			for (const t of targets)
				console.log(
					`${t.role} ${t.id}\n    ${t.url}${t.data ? ` --data=${t.data}` : ''}${t.csrf ? ` (fresh ${t.csrf.token} from ${t.csrf.url})` : ''}`
				);
			targets = [];
		}
		let next = 0;
		await Promise.all(
			Array.from({ length: JOBS }, async () => {
				while (next < targets.length) {
					const target = targets[next++];
					const n = next;
					if (interrupted || Date.now() >= deadline) {
						outcomes.push(notRun(target, interrupted ? 'interrupted' : 'total cap reached'));
						continue;
					}
					const dir = join(work, String(n).padStart(3, '0'));
					mkdirSync(dir);
					let outcome;
					try {
						outcome = await runSqlmap(target, await sessionFor(target.role), dir, deadline);
					} catch (e) {
						outcome = /** @type {Outcome} */ ({
							target,
							status: 'error',
							tested: [],
							injectable: [],
							detail: String(e),
							seconds: 0
						});
					}
					outcomes.push(outcome);
					console.log(
						`[${n}/${targets.length}] ${target.role} ${target.id}: ${outcome.status} (${outcome.seconds.toFixed(0)} s)${outcome.detail ? ` ${outcome.detail}` : ''}`
					);
				}
			})
		);
	} finally {
		await db?.end();
		await stopServer(server);
	}
} catch (e) {
	broken = true;
	console.error(String(e instanceof Error ? (e.stack ?? e) : e));
} finally {
	await admin.query(`drop database if exists ${dbName} with (force)`);
	await admin.end();
}

outcomes.sort((a, b) => targets.indexOf(a.target) - targets.indexOf(b.target));
const minutes = (Date.now() - started) / 60_000;
console.log(
	`\nsqlmap --level ${LEVEL} --risk ${RISK} --dbms=PostgreSQL, ${minutes.toFixed(1)} min`
);
console.log(
	'role             method  target                                                  params  result'
);
for (const o of outcomes) {
	const shown = o.target.id.replace(/^(GET|POST) /, '');
	console.log(
		`${o.target.role.padEnd(16)} ${o.target.method.padEnd(7)} ${(shown.length > 55 ? `${shown.slice(0, 52)}...` : shown).padEnd(55)} ${String(o.target.params.length).padStart(6)}  ${o.status}${o.detail ? ` (${o.detail})` : ''}`
	);
	if (o.target.note) console.log(`${' '.repeat(25)}note: ${o.target.note}`);
}
const count = (/** @type {Outcome['status']} */ s) => outcomes.filter((o) => o.status === s).length;
console.log(
	`\n${outcomes.length} targets: ${count('not injectable')} not injectable, ${count('INJECTABLE')} INJECTABLE, ${count('suspect')} suspect, ${count('capped')} capped, ${count('error')} error, ${count('not run')} not run`
);
if (unreached.length) console.log(`routes the crawl did not reach: ${unreached.join(', ')}`);
for (const o of outcomes.filter((x) => x.status === 'INJECTABLE'))
	console.log(
		`INJECTABLE: ${o.target.method} ${o.target.url} ${o.injectable.join(', ')} (role ${o.target.role})`
	);
console.log(`logs: ${work}`);
console.log('');
const injectableParams =
	outcomes.reduce((n, o) => n + o.injectable.length, 0) || count('INJECTABLE');
for (const [metric, value] of /** @type {[string, number][]} */ ([
	['sqlmap_targets', outcomes.length],
	['sqlmap_parameters', outcomes.reduce((n, o) => n + o.target.params.length, 0)],
	['sqlmap_injectable', injectableParams],
	['sqlmap_capped', count('capped')],
	['sqlmap_errors', count('error')],
	['sqlmap_not_run', count('not run')]
]))
	console.log(
		JSON.stringify({
			metric,
			value,
			unit: 'count',
			db: 'postgres',
			level: Number(LEVEL),
			risk: Number(RISK)
		})
	);
process.exit(injectableParams ? 1 : broken || interrupted ? 2 : 0);
