#!/usr/bin/env node
// The shipped nginx configuration (deploy/nginx-civic-voice.conf) and the proxy settings that
// docs/deploy.md gives, tried together: Debian's nginx on loopback, with TLS from a certificate
// made here, in front of the production build (`npm run build` first; `npm test` has built it
// for the browser tests). Two clients on two loopback addresses ask questions through it:
//   (a) each has its own rate limit;
//   (b) a forged X-Forwarded-For from outside changes nothing, for either client;
//   (c) the app knows it is served over https (HSTS, the form's origin check, the redirect).
// Exits 1 with the reason on the first failure. Ports: NGINX_TEST_PORT and the next two; by default
// E2E_PORT + 5 to + 7 (the browser tests' server and its own servers take E2E_PORT to + 2), so two
// whole test runs with different E2E_PORT can run side by side.
import { execFileSync } from 'node:child_process';
import {
	accessSync,
	constants,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEHIND_PROXY, readBody, startServer, stopServer } from './lib/harness.js';
import { NGINX, startNginx } from './lib/nginx.js';

const base = Number(process.env.NGINX_TEST_PORT ?? Number(process.env.E2E_PORT ?? 4173) + 5);
const ports = { app: base, http: base + 1, https: base + 2 };
const ORIGIN = `https://127.0.0.1:${ports.https}`;
const QUESTIONS_PER_HOUR = 2;
const A = '127.0.0.2';
const B = '127.0.0.3';
const FORGED = '203.0.113.9';
const RATE_LIMITED = 'Bạn đã gửi nhiều câu hỏi trong thời gian ngắn';

/** @param {string} message @returns {never} */
function fail(message) {
	console.error(`nginx test: ${message}`);
	process.exitCode = 1;
	throw new Error(message);
}

/** @param {unknown} condition @param {string} message */
function check(condition, message) {
	if (!condition) fail(message);
}

try {
	accessSync(NGINX, constants.X_OK);
} catch {
	console.error(
		`nginx test: nginx not found at ${NGINX}: install Debian's package with \`sudo apt-get install -y nginx\` (.ci/run does), or set NGINX_PATH.`
	);
	process.exit(1);
}
if (!existsSync('build/index.js')) {
	console.error(
		'nginx test: no production build: run `npm run build` first (or `npm run test:nginx`).'
	);
	process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'civic-voice-nginx-'));
/** @type {import('./lib/nginx.js').Nginx | undefined} */
let nginx;
/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let app;
const started = performance.now();

/**
 * The shipped site file with this run's ports, paths and certificate. Each replaced text must be
 * there, so an edit of the shipped file that this test would no longer cover fails it.
 */
function renderSite() {
	let site = readFileSync('deploy/nginx-civic-voice.conf', 'utf8');
	const replacements = [
		['server 127.0.0.1:3000;', `server 127.0.0.1:${ports.app};`],
		['listen 80;', `listen 127.0.0.1:${ports.http};`],
		['listen [::]:80;\n', ''],
		['listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`],
		['listen [::]:443 ssl http2;\n', ''],
		[
			'return 301 https://$host$request_uri;',
			`return 301 https://$host:${ports.https}$request_uri;`
		],
		['server_name portal.example.vn;', 'server_name 127.0.0.1;'],
		['/etc/letsencrypt/live/portal.example.vn/fullchain.pem', join(dir, 'cert.pem')],
		['/etc/letsencrypt/live/portal.example.vn/privkey.pem', join(dir, 'key.pem')],
		['root /var/www/letsencrypt;', `root ${join(dir, 'acme')};`],
		['/var/log/nginx/civic-voice.access.log', join(dir, 'access.log')]
	];
	for (const [from, to] of replacements) {
		check(site.includes(from), `deploy/nginx-civic-voice.conf no longer has "${from.trim()}"`);
		site = site.replaceAll(from, to);
	}
	return site;
}

async function startProxy() {
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			'1',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1',
			'-keyout',
			join(dir, 'key.pem'),
			'-out',
			join(dir, 'cert.pem')
		],
		{ stdio: 'ignore' }
	);
	mkdirSync(join(dir, 'acme/.well-known/acme-challenge'), { recursive: true });
	writeFileSync(join(dir, 'acme/.well-known/acme-challenge/token'), 'challenge-answer');
	writeFileSync(join(dir, 'site.conf'), renderSite());
	nginx = await startNginx(dir, `	include ${join(dir, 'site.conf')};`, async () => {
		await get(A, `http://127.0.0.1:${ports.http}/.well-known/acme-challenge/token`);
		return true;
	});
}

/**
 * @typedef {{ status: number, headers: http.IncomingHttpHeaders, text: string }} Reply
 * @param {string} from local address of the client
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [options]
 * @returns {Promise<Reply>}
 */
function get(from, url, options = {}) {
	const secure = url.startsWith('https:');
	return new Promise((resolve, reject) => {
		const req = (secure ? https : http).request(
			url,
			{
				method: options.method ?? 'GET',
				localAddress: from,
				agent: false,
				timeout: 30_000,
				headers: { accept: 'text/html', ...options.headers },
				...(secure ? { ca: readFileSync(join(dir, 'cert.pem')) } : {})
			},
			(res) =>
				readBody(res).then(
					(text) => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }),
					reject
				)
		);
		req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
		req.on('error', reject);
		req.end(options.body);
	});
}

/** The first offered value of a select on the ask form. @param {string} html @param {string} name */
function firstOption(html, name) {
	const select = html.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`));
	const value = select?.[1].match(/<option[^>]*value="([^"]+)"/)?.[1];
	check(value, `the ask form has no ${name} to choose`);
	return /** @type {string} */ (value);
}

let asked = 0;
/**
 * Posts a question through nginx from `from`, with extra headers; returns the reply.
 * @param {string} from
 * @param {{ topic: string, unit: string }} form
 * @param {Record<string, string>} [headers]
 */
async function ask(from, form, headers = {}) {
	asked++;
	const body = new URLSearchParams({
		...form,
		title: `Câu hỏi thử qua nginx số ${asked}`,
		body: `Xin hỏi thủ tục cấp giấy chứng nhận gồm những gì? (lần ${asked})`
	}).toString();
	return get(from, `${ORIGIN}/questions/ask?/ask`, {
		method: 'POST',
		headers: {
			origin: ORIGIN,
			'content-type': 'application/x-www-form-urlencoded',
			...headers
		},
		body
	});
}

const accepted = (/** @type {Reply} */ r) =>
	r.status === 303 && String(r.headers.location).includes('/questions/track/');
const limited = (/** @type {Reply} */ r) => r.status === 429 && r.text.includes(RATE_LIMITED);

async function run() {
	app = await startServer({
		port: ports.app,
		timeoutMs: 240_000,
		env: {
			...BEHIND_PROXY,
			ORIGIN,
			PGLITE_DIR: 'memory://',
			SEED_DEMO: 'true',
			QUESTIONS_PER_HOUR: String(QUESTIONS_PER_HOUR),
			SHUTDOWN_TIMEOUT: '5'
		}
	});
	await startProxy();

	// plain HTTP: the ACME challenge is served, everything else goes to https
	const challenge = await get(A, `http://127.0.0.1:${ports.http}/.well-known/acme-challenge/token`);
	check(challenge.text === 'challenge-answer', `the ACME challenge got ${challenge.status}`);
	const redirect = await get(A, `http://127.0.0.1:${ports.http}/questions?x=1`);
	check(
		redirect.status === 301 && redirect.headers.location === `${ORIGIN}/questions?x=1`,
		`http:// was not sent to https:// (${redirect.status} ${redirect.headers.location})`
	);

	// (c) the app sees https: it sends HSTS, and the form's origin check wants the https origin
	const page = await get(A, `${ORIGIN}/questions/ask`);
	check(page.status === 200, `the ask form answered ${page.status}`);
	check(
		String(page.headers['strict-transport-security']).includes('max-age='),
		'no Strict-Transport-Security: the app does not know it is served over https'
	);
	const form = { topic: firstOption(page.text, 'topic'), unit: firstOption(page.text, 'unit') };
	const plainOrigin = await ask(A, form, { origin: `http://127.0.0.1:${ports.https}` });
	check(
		plainOrigin.status === 403,
		`a post from an http:// origin got ${plainOrigin.status}, not 403`
	);

	// (a) A uses up its questions; B, on another address, still may ask
	for (let i = 1; i <= QUESTIONS_PER_HOUR; i++) {
		const r = await ask(A, form);
		check(accepted(r), `A's question ${i} of ${QUESTIONS_PER_HOUR} was not accepted (${r.status})`);
	}
	const over = await ask(A, form);
	check(
		limited(over),
		`A's question over the limit got ${over.status}, not the rate-limit message`
	);

	// (b) a forged X-Forwarded-For does not free A...
	const forgedA = await ask(A, form, { 'x-forwarded-for': FORGED });
	check(limited(forgedA), `A escaped its limit with a forged X-Forwarded-For (${forgedA.status})`);
	const forgedChain = await ask(A, form, { 'x-forwarded-for': `${FORGED}, ${B}` });
	check(limited(forgedChain), `A escaped its limit with a forged chain (${forgedChain.status})`);

	// ...does not put B in A's bucket (B asks as if it were A and is accepted)...
	const bAsA = await ask(B, form, { 'x-forwarded-for': A });
	check(
		accepted(bAsA),
		`B, claiming to be A, was refused (${bAsA.status}): B shares A's limit (the header was believed, or the app sees one client)`
	);
	for (let i = 2; i <= QUESTIONS_PER_HOUR; i++) {
		const r = await ask(B, form);
		check(accepted(r), `B's question ${i} was not accepted (${r.status}): B shares A's limit`);
	}
	// ...and does not let B out of its own
	const forgedB = await ask(B, form, { 'x-forwarded-for': FORGED });
	check(limited(forgedB), `B escaped its limit with a forged X-Forwarded-For (${forgedB.status})`);

	const accessLog = readFileSync(join(dir, 'access.log'), 'utf8');
	check(accessLog.includes('POST /questions/ask 303'), 'nginx logged no question');
	check(
		!accessLog.includes(A) && !accessLog.includes(B) && !accessLog.includes('?/ask'),
		'the access log holds a client address or a query string'
	);
}

let ok = false;
try {
	await run();
	ok = true;
} catch (error) {
	if (!process.exitCode) console.error('nginx test:', error);
	if (app) console.error(`--- app output ---\n${app.output()}`);
	if (nginx?.output()) console.error(`--- nginx output ---\n${nginx.output()}`);
	try {
		console.error(`--- nginx error.log ---\n${readFileSync(join(dir, 'error.log'), 'utf8')}`);
	} catch {
		// nginx never started
	}
} finally {
	await nginx?.stop();
	if (app) await stopServer(app);
	rmSync(dir, { recursive: true, force: true });
}
if (ok) {
	console.log(
		`nginx test: passed in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
			`(nginx ${ports.https} -> app ${ports.app}; separate limits, forged X-Forwarded-For ignored, https seen)`
	);
}
process.exit(ok ? 0 : 1);
