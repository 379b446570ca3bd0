#!/usr/bin/env node
// Two production servers as on two machines (each with its own DATA_DIR), on one PostgreSQL
// primary through pgbouncer in transaction mode, analytics reading from a streaming replica,
// nginx in front: all on loopback, from Debian's packages (`npm run test:cluster`, after a build).
// Checks, in order:
//   rate         submissions per second with the nodes connected straight to PostgreSQL, then
//                through pgbouncer (after a rolling restart onto it), and the replica's lag then;
//   session      a session made on node A works on node B;
//   files        every demo file, and a file uploaded through A, are served by both nodes with
//                the SHA-256 they were stored with;
//   limits       a client's question limit counts its questions on both nodes;
//   submissions  CLUSTER_SUBMISSIONS (1,000) through nginx, node B restarted in the middle: every
//                acknowledged one stored exactly once, nothing else stored, analytics:verify exact;
//   replica      the analytics pages are read on the replica (its own table statistics rise),
//                and still answer with the replica stopped;
//   close        a wave closed on A is no longer offered by B within CLOSE_WITHIN_MS (1 s).
// Prints a table and one JSON line per figure; exits 1 on any failure. Ports: CLUSTER_PORT and
// the next five; by default E2E_PORT + 10 to + 15, clear of the other tests' ports.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	BEHIND_PROXY,
	formShape,
	request,
	respondents,
	startServer,
	stopServer,
	submitKeyHash,
	submitUntilAnswered,
	SURVEY_SLUG
} from './lib/harness.js';
import { NGINX, startNginx } from './lib/nginx.js';
import { queryOnce, startPgCluster } from './lib/pg-cluster.js';

const env = process.env;
const base = Number(env.CLUSTER_PORT ?? Number(env.E2E_PORT ?? 4173) + 10);
const ports = {
	primary: base,
	replica: base + 1,
	bouncer: base + 2,
	a: base + 3,
	b: base + 4,
	nginx: base + 5
};
const ORIGIN = `http://127.0.0.1:${ports.nginx}`;
const SUBMISSIONS = Number(env.CLUSTER_SUBMISSIONS ?? 1000);
const RATE_SUBMISSIONS = Number(env.CLUSTER_RATE_SUBMISSIONS ?? 400);
const CLIENTS = 16;
const CLOSE_WITHIN_MS = 1000;
const QUESTIONS_PER_HOUR = 2;
const DEMO_PASSWORD = 'CivicVoice-demo-2026';
const RUN = Date.now().toString(36);
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @type {{ check: string, result: string, ok: boolean }[]} */
const rows = [];
/** @type {object[]} */
const figures = [];
/** @param {string} check @param {boolean} ok @param {string} result */
const record = (check, ok, result) => {
	rows.push({ check, ok, result });
	console.error(`cluster: ${ok ? 'ok  ' : 'FAIL'} ${check}: ${result}`);
};
/** @param {string} metric @param {number} value @param {string} unit @param {object} [extra] */
const figure = (metric, value, unit, extra = {}) =>
	figures.push({ metric, value, unit, ...extra, db: 'postgres' });

for (const [what, path] of [
	['nginx', NGINX],
	['a production build (run `npm run build`, or `npm run test:cluster`)', 'build/index.js']
])
	if (!existsSync(path)) {
		console.error(`cluster test: ${what} not found at ${path}`);
		process.exit(1);
	}

const dir = mkdtempSync(join(tmpdir(), 'civic-voice-cluster-'));
const cluster = await startPgCluster({
	port: ports.primary,
	replicaPort: ports.replica,
	bouncerPort: ports.bouncer
});
const primary = (/** @type {string} */ text) => queryOnce(cluster.primaryUrl, text);

/** How each node reaches the database: straight, or through pgbouncer in transaction mode. */
const connections = {
	direct: { DATABASE_URL: cluster.primaryUrl },
	pooled: {
		DATABASE_URL: `${cluster.bouncerUrl}?pgbouncer=true`,
		DATABASE_LISTEN_URL: cluster.primaryUrl
	}
};

/** @typedef {import('./lib/harness.js').Server} Server */
/** @type {{ a?: Server, b?: Server }} */
const nodes = {};

/** @param {'a' | 'b'} name @param {Record<string, string>} connection */
async function startNode(name, connection) {
	nodes[name] = await startServer({
		port: ports[name],
		readyPath: '/readyz',
		timeoutMs: 240_000,
		env: {
			...BEHIND_PROXY,
			ORIGIN,
			DATA_DIR: join(dir, `node-${name}`),
			SEED_DEMO: 'true',
			LOG_LEVEL: 'warn',
			SHUTDOWN_TIMEOUT: '10',
			SURVEY_SUBMITS_PER_HOUR: '1000000',
			QUESTIONS_PER_HOUR: String(QUESTIONS_PER_HOUR),
			DATABASE_POOL_MAX: '10',
			DATABASE_READ_URL: cluster.replicaUrl,
			...connection
		}
	});
}

/** @param {'a' | 'b'} name @param {Record<string, string>} connection */
async function restartNode(name, connection) {
	const node = nodes[name];
	if (node) await stopServer(node);
	await startNode(name, connection);
}

/** @type {import('./lib/nginx.js').Nginx | undefined} */
let nginx;
const startProxy = async () => {
	nginx = await startNginx(
		dir,
		`	access_log off;
	upstream civic_voice {
		server 127.0.0.1:${ports.a} max_fails=0;
		server 127.0.0.1:${ports.b} max_fails=0;
		keepalive 32;
	}
	server {
		listen 127.0.0.1:${ports.nginx};
		client_max_body_size 60m;
		location / {
			proxy_pass http://civic_voice;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $host;
			proxy_set_header X-Forwarded-For $remote_addr;
			proxy_next_upstream error timeout http_502 http_503;
		}
	}`,
		async () => (await fetch(`${ORIGIN}/healthz`)).ok
	);
};

const nodeUrl = (/** @type {'a' | 'b'} */ name) => `http://127.0.0.1:${ports[name]}`;

/**
 * A request to one node (or to nginx) as a browser would send it: form posts carry the site's
 * Origin, a session cookie when given; redirects are not followed.
 * @param {string} url
 * @param {{ method?: string, cookie?: string, body?: BodyInit, from?: string }} [options]
 */
function send(url, options = {}) {
	/** @type {Record<string, string>} */
	const headers = { accept: 'text/html' };
	if (options.cookie) headers.cookie = options.cookie;
	if (options.body) headers.origin = ORIGIN;
	if (options.body instanceof URLSearchParams)
		headers['content-type'] = 'application/x-www-form-urlencoded';
	// nginx would say who the client is; straight to a node, the test says it
	headers['x-forwarded-for'] = options.from ?? '127.0.0.1';
	return fetch(url, {
		method: options.method ?? (options.body ? 'POST' : 'GET'),
		headers,
		body: options.body,
		redirect: 'manual',
		signal: AbortSignal.timeout(30_000)
	});
}

/** Signs in on `node`; returns the session cookie. @param {'a' | 'b'} node @param {string} email */
async function signIn(node, email) {
	const r = await send(`${nodeUrl(node)}/sign-in`, {
		body: new URLSearchParams({ email, password: DEMO_PASSWORD, next: '/staff' })
	});
	const cookie = r.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => !c.startsWith('PARAGLIDE'));
	if (r.status !== 303 || !cookie) throw new Error(`sign-in of ${email} on ${node}: ${r.status}`);
	return cookie;
}

const sha256 = (/** @type {ArrayBuffer} */ bytes) =>
	createHash('sha256').update(Buffer.from(bytes)).digest('hex');

async function checkSession() {
	const cookie = await signIn('a', 'admin@demo.civicvoice.vn');
	const onB = await send(`${nodeUrl('b')}/staff`, { cookie });
	const text = await onB.text();
	record(
		'session made on A, used on B',
		onB.status === 200 && text.includes('Quản trị viên (demo)'),
		`B answered ${onB.status}${onB.status === 200 ? '' : ` (${onB.headers.get('location')})`}`
	);
	return cookie;
}

async function checkFiles() {
	// every published demo file, fetched from each node directly
	const published = await primary(`select v.disclosure_id as id, f.id as fid, sf.sha256
		from disclosure_file f
		join disclosure_version v on v.id = f.version_id
		join stored_file sf on sf.sha256 = f.sha256
		where v.status = 'published'`);
	let served = 0;
	/** @type {string[]} */
	const wrong = [];
	for (const file of published)
		for (const node of /** @type {const} */ (['a', 'b'])) {
			const r = await send(`${nodeUrl(node)}/disclosures/${file.id}/files/${file.fid}`);
			const got = r.ok ? sha256(await r.arrayBuffer()) : `HTTP ${r.status}`;
			if (got === file.sha256) served++;
			else wrong.push(`${node}: /disclosures/${file.id}/files/${file.fid} ${got}`);
		}
	record(
		'demo files served by both nodes',
		published.length > 0 && wrong.length === 0,
		`${served} of ${published.length * 2} downloads match their SHA-256${wrong.length ? `; ${wrong.slice(0, 3).join('; ')}` : ''}`
	);

	// a citizen's question with an attachment sent through A; its tracking page on B serves it
	const ask = await (await send(`${nodeUrl('a')}/questions/ask`)).text();
	const pdf = Buffer.from(
		`%PDF-1.4\n% cluster test ${RUN}\n${'0123456789abcdef'.repeat(60_000)}\n%%EOF\n`
	);
	const body = new FormData();
	body.set('topic', firstOption(ask, 'topic'));
	body.set('unit', firstOption(ask, 'unit'));
	body.set('title', `Câu hỏi kèm tệp của cụm máy chủ ${RUN}`);
	body.set('body', 'Xin gửi kèm giấy tờ, đề nghị cơ quan xem xét và trả lời.');
	body.set('files', new Blob([pdf], { type: 'application/pdf' }), `giay-to-${RUN}.pdf`);
	const posted = await send(`${nodeUrl('a')}/questions/ask?/ask`, { body, from: '198.51.100.40' });
	const track = posted.headers.get('location') ?? '';
	const page = track.startsWith('/questions/track/')
		? await (await send(`${nodeUrl('b')}${track}`)).text()
		: '';
	const link = page.match(/href="([^"]*\/files\/\d+)"/)?.[1];
	// the page links relative to itself
	const download = link ? await send(new URL(link, `${nodeUrl('b')}${track}`).href) : undefined;
	const got = download?.ok ? sha256(await download.arrayBuffer()) : `HTTP ${download?.status}`;
	const want = createHash('sha256').update(pdf).digest('hex');
	record(
		'file uploaded on A, served by B',
		got === want,
		`question ${posted.status}, ${(pdf.byteLength / 1e6).toFixed(1)} MB attachment, B's SHA-256 ${got === want ? 'matches' : `is ${got}`}`
	);
}

/** The first value offered by a select of a form. @param {string} html @param {string} name */
const firstOption = (html, name) =>
	html
		.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`))?.[1]
		.match(/<option[^>]*value="([^"]+)"/)?.[1] ?? '';

async function checkLimits() {
	const page = await (await send(`${nodeUrl('a')}/questions/ask`)).text();
	const from = '198.51.100.23';
	/** @type {number[]} */
	const statuses = [];
	for (const node of /** @type {const} */ (['a', 'b', 'a', 'b'])) {
		const i = statuses.length + 1;
		const r = await send(`${nodeUrl(node)}/questions/ask?/ask`, {
			from,
			body: new URLSearchParams({
				topic: firstOption(page, 'topic'),
				unit: firstOption(page, 'unit'),
				title: `Câu hỏi thử của cụm máy chủ số ${i}`,
				body: `Xin hỏi thủ tục cấp giấy chứng nhận gồm những gì? (lần ${i}, ${RUN})`
			})
		});
		statuses.push(r.status);
	}
	record(
		'question limit shared by both nodes',
		statuses.join() === '303,303,429,429',
		`A, B, A, B answered ${statuses.join(', ')} (limit ${QUESTIONS_PER_HOUR} an hour)`
	);
}

/** Survey bodies drawn from the form a node renders. */
async function answerBodies() {
	const page = await request({ origin: nodeUrl('a') }, 'GET', `/surveys/${SURVEY_SLUG}`);
	if (page.status !== 200) throw new Error(`GET survey: ${page.status}`);
	return respondents(formShape(page.text));
}

/**
 * Sends `count` responses through nginx from CLIENTS clients that retry with the same key until
 * they get a receipt; `during` runs alongside (a restart).
 * @param {string} part @param {number} count @param {string[]} bodies
 * @param {Map<string, string>} acked @param {() => Promise<void>} [during]
 */
async function submit(part, count, bodies, acked, during) {
	const client = { origin: ORIGIN, agent: new http.Agent({ keepAlive: true }) };
	const seen = /** @type {Record<string, number>} */ ({});
	/** @type {string[]} */
	const refused = [];
	let next = 0;
	const started = performance.now();
	const deadline = started + 600_000;
	const side = during?.();
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			while (next < count) {
				const key = `${part}-${RUN}-${String(next++).padStart(6, '0')}`;
				const body = `${bodies[next % bodies.length]}&submit_key=${encodeURIComponent(key)}`;
				const r = await submitUntilAnswered(client, body, seen, deadline);
				if (r.receipt) acked.set(key, r.receipt);
				else refused.push(`${key}: ${r.refused ?? 'gave up'}`);
			}
		})
	);
	await side;
	client.agent.destroy();
	// a retried 502/503 or connection error is a node restarting; a 500 is a bug
	const errors = seen['500'] ?? 0;
	return { seconds: (performance.now() - started) / 1000, seen, refused, errors };
}

/**
 * Samples the replica's lag while `work` runs.
 * @template T
 * @param {() => Promise<T>} work
 */
async function withLag(work) {
	let maxBytes = 0;
	let maxSeconds = 0;
	let done = false;
	const sampling = (async () => {
		while (!done) {
			try {
				maxBytes = Math.max(maxBytes, await cluster.replicaLagBytes());
				const [{ s }] = await queryOnce(
					cluster.replicaUrl,
					`select case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
						else extract(epoch from now() - pg_last_xact_replay_timestamp()) end::float8 as s`
				);
				maxSeconds = Math.max(maxSeconds, Number(s));
			} catch {
				// the replica is stopped by another check
			}
			await sleep(200);
		}
	})();
	const result = await work();
	done = true;
	await sampling;
	return { result, maxBytes, maxSeconds };
}

/** @param {string[]} bodies @param {Map<string, string>} acked */
async function checkRate(bodies, acked) {
	const direct = await withLag(() => submit('direct', RATE_SUBMISSIONS, bodies, acked));
	// a rolling restart onto pgbouncer, one node at a time
	await restartNode('a', connections.pooled);
	await restartNode('b', connections.pooled);
	const pooled = await withLag(() => submit('pooled', RATE_SUBMISSIONS, bodies, acked));
	const rate = (/** @type {{ seconds: number }} */ r) => RATE_SUBMISSIONS / r.seconds;
	const refusals = direct.result.refused.length + pooled.result.refused.length;
	const errors = direct.result.errors + pooled.result.errors;
	record(
		'submission rate, direct vs pgbouncer',
		refusals + errors === 0,
		`${rate(direct.result).toFixed(0)}/s direct, ${rate(pooled.result).toFixed(0)}/s through pgbouncer (2 nodes, ${CLIENTS} clients); replica lag under load ≤ ${(pooled.maxBytes / 1024).toFixed(0)} KB, ${pooled.maxSeconds.toFixed(2)} s${refusals ? `; ${refusals} refused` : ''}${errors ? `; ${errors} answered 500` : ''}`
	);
	figure('cluster_submit_rps', Math.round(rate(direct.result)), '1/s', { via: 'direct' });
	figure('cluster_submit_rps', Math.round(rate(pooled.result)), '1/s', { via: 'pgbouncer' });
	figure('replica_lag_max', Math.round(Math.max(direct.maxBytes, pooled.maxBytes)), 'B');
	figure(
		'replica_lag_max_seconds',
		Number(Math.max(direct.maxSeconds, pooled.maxSeconds).toFixed(3)),
		's'
	);
}

/**
 * @param {string[]} bodies @param {Map<string, string>} acked
 * @param {number} baseline the wave's responses before this run's first submission
 */
async function checkSubmissions(bodies, acked, baseline) {
	let restarted = false;
	const run = await submit('restart', SUBMISSIONS, bodies, acked, async () => {
		while (acked.size < 2 * RATE_SUBMISSIONS + SUBMISSIONS / 2) await sleep(20);
		await restartNode('b', connections.pooled);
		restarted = true;
	});
	const [wave] = await primary(`select id from survey_wave where slug = '${SURVEY_SLUG}'`);
	const stored = await primary(`select encode(submit_key_hash, 'hex') as hash, receipt
		from survey_response where wave_id = ${wave.id}`);
	const byHash = new Map(stored.map((r) => [r.hash, r.receipt]));
	let lost = 0;
	let wrong = 0;
	for (const [key, receipt] of acked) {
		const got = byHash.get(submitKeyHash(wave.id, key));
		if (got === undefined) lost++;
		else if (got !== receipt) wrong++;
	}
	const [{ n: duplicated }] = await primary(`select count(*)::int as n from (
		select submit_key_hash from survey_response group by 1 having count(*) > 1) d`);
	const extra = stored.length - baseline - acked.size;
	const ok =
		restarted && run.refused.length + run.errors === 0 && lost + wrong + duplicated + extra === 0;
	const retried = Object.entries(run.seen)
		.map(([k, v]) => `${k}×${v}`)
		.join(' ');
	record(
		`${SUBMISSIONS} submissions, node B restarted midway`,
		ok,
		`${acked.size} acknowledged in all, ${lost} lost, ${duplicated} duplicated, ${wrong} wrong receipt, ${extra} unacknowledged stored, ${run.refused.length} refused; retried: ${retried || 'none'}`
	);
	figure('cluster_submissions_lost', lost + wrong + duplicated, 'responses');

	// the aggregators of both nodes drain the queue; then the cells must equal the raw answers
	const deadline = Date.now() + 120_000;
	for (;;) {
		const [{ n }] = await primary(
			`select count(*)::int as n from analytics_queue where not aggregated`
		);
		if (n === 0 || Date.now() > deadline) break;
		await sleep(250);
	}
	const verify = await new Promise((resolve) => {
		let out = '';
		const child = spawn('node', ['scripts/db.js', 'analytics-verify'], {
			env: { ...process.env, DATABASE_URL: cluster.primaryUrl, LOG_LEVEL: 'warn' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => resolve({ code, out }));
	});
	const { code, out } = /** @type {{ code: number, out: string }} */ (verify);
	const line = out.split('\n').find((l) => l.includes(SURVEY_SLUG)) ?? out.trim().slice(-300);
	record('analytics:verify after the cluster run', code === 0, line.replace(/^analytics: /, ''));
}

/** Index and table reads of the analytics tables the replica has counted. */
async function replicaAnalyticsReads() {
	const [{ n }] = await queryOnce(
		cluster.replicaUrl,
		`select coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)::int8 as n
		from pg_stat_user_tables where relname like 'analytics\\_%'`
	);
	return Number(n);
}

async function checkReplica() {
	const cookie = await signIn('a', 'phantich@demo.civicvoice.vn');
	const [wave] = await primary(`select id from survey_wave where slug = '${SURVEY_SLUG}'`);
	const pages = ['/analytics', `/analytics/waves/${wave.id}`];
	const before = await replicaAnalyticsReads();
	/** @type {string[]} */
	const statuses = [];
	for (const node of /** @type {const} */ (['a', 'b']))
		for (const path of pages)
			statuses.push(String((await send(`${nodeUrl(node)}${path}`, { cookie })).status));
	// a backend's table statistics reach the shared view within a second or, idle, ten
	let after = before;
	for (const deadline = Date.now() + 20_000; after === before && Date.now() < deadline;) {
		await sleep(500);
		after = await replicaAnalyticsReads();
	}
	record(
		'analytics pages read on the replica',
		after > before && statuses.every((s) => s === '200'),
		`pages answered ${statuses.join(', ')}; the replica counted ${after - before} reads of analytics tables`
	);

	await cluster.stopReplica();
	const started = performance.now();
	const down = [];
	for (const node of /** @type {const} */ (['a', 'b']))
		for (const path of pages) {
			const r = await send(`${nodeUrl(node)}${path}`, { cookie });
			down.push(`${r.status}${(await r.text()).includes('Lê Thu Dung') ? '' : ' (no page)'}`);
		}
	const seconds = (performance.now() - started) / 1000;
	record(
		'analytics pages with the replica stopped',
		down.every((s) => s === '200'),
		`answered ${down.join(', ')} in ${seconds.toFixed(1)} s for ${down.length} pages`
	);
	figure('analytics_pages_replica_down', Number(seconds.toFixed(2)), 's', { pages: down.length });
	await cluster.startReplica();
}

async function checkClose() {
	const cookie = await signIn('a', 'admin@demo.civicvoice.vn');
	const [wave] = await primary(`select id from survey_wave where slug = '${SURVEY_SLUG}'`);
	const offered = async () =>
		(await (await send(`${nodeUrl('b')}/surveys/${SURVEY_SLUG}`)).text()).includes(
			'name="submit_key"'
		);
	const before = await offered(); // B has the open wave's page in its caches now
	const closed = await send(`${nodeUrl('a')}/fieldwork/waves/${wave.id}?/close`, {
		cookie,
		body: new URLSearchParams()
	});
	const at = performance.now();
	let stillOffered = true;
	while (stillOffered && performance.now() - at < 10_000) {
		stillOffered = await offered();
		if (stillOffered) await sleep(20);
	}
	const ms = performance.now() - at;
	const submitted = await send(`${nodeUrl('b')}/surveys/${SURVEY_SLUG}?/submit`, {
		body: new URLSearchParams({ consent: 'yes', submit_key: `after-close-${RUN}` })
	});
	record(
		'wave closed on A, no longer offered by B',
		before && !stillOffered && ms <= CLOSE_WITHIN_MS && submitted.status !== 303,
		`close answered ${closed.status}; B stopped offering it after ${ms.toFixed(0)} ms; a submission to B then got ${submitted.status}`
	);
	figure('cluster_close_propagation', Math.round(ms), 'ms');
}

let failed = false;
try {
	await startNode('a', connections.direct);
	await startNode('b', connections.direct);
	await startProxy();
	const bodies = await answerBodies();
	/** @type {Map<string, string>} key -> receipt */
	const acked = new Map();
	const [{ n: baseline }] = await primary(`select count(*)::int as n from survey_response r
		join survey_wave w on w.id = r.wave_id where w.slug = '${SURVEY_SLUG}'`);
	await checkRate(bodies, acked);
	await checkSession();
	await checkFiles();
	await checkLimits();
	await checkSubmissions(bodies, acked, baseline);
	await checkReplica();
	await checkClose();
} catch (error) {
	failed = true;
	console.error('cluster test:', error);
	for (const [name, node] of Object.entries(nodes))
		console.error(`--- node ${name} output ---\n${node?.output()}`);
	if (nginx)
		console.error(`--- nginx ---\n${nginx.output()}${readFileSync(nginx.errorLog, 'utf8')}`);
} finally {
	for (const node of Object.values(nodes)) if (node) await stopServer(node);
	await nginx?.stop();
	await cluster.stop();
	rmSync(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r.check.length));
console.log(`\n${'check'.padEnd(width)}  ok    result`);
for (const r of rows)
	console.log(`${r.check.padEnd(width)}  ${r.ok ? 'yes ' : 'NO  '}  ${r.result}`);
for (const f of figures) console.log(JSON.stringify(f));
if (failed || rows.some((r) => !r.ok) || rows.length < 10) {
	console.error(`cluster test: failed (${rows.filter((r) => !r.ok).length} checks failed)`);
	process.exit(1);
}
console.log('cluster test: all checks passed');
