#!/usr/bin/env node
// Load and Lighthouse figures of the public pages, against the production build on PostgreSQL
// (a throw-away database named from BENCH_DATABASE_URL or TEST_DATABASE_URL, seeded with the demo).
// 1. autocannon, 50 keep-alive connections, LOAD_SECONDS (default 15) per page after a short
//    warm-up: the one-page survey, the Q&A list and the disclosure list. Latency percentiles are
//    computed from every response's own time (autocannon's summary has no p95). The load generator
//    shares the machine with the server, so its CPU share is printed beside each result.
// 2. Lighthouse (mobile profile, its default throttling) on the home page, the survey, the Q&A list
//    and the disclosure list: performance, accessibility and best practices, with the failing
//    audits of any category below its target.
// Loopback only, bounded in time. Needs `npm run build` first and Chromium (CHROMIUM_PATH).
// Prints tables, then one JSON line per figure. A missed target is printed as MISSED; the exit
// status is non-zero only when the run itself broke (server did not start, requests failed).
import { createRequire } from 'node:module';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import pg from 'pg';
import {
	percentile,
	startServer as start,
	stopServer,
	SURVEY_SLUG as SLUG
} from './lib/harness.js';

/**
 * autocannon ships no types (and @types/autocannon is not a dependency): the part used here.
 * @type {(opts: object) => Promise<{ errors: number, timeouts: number }> & {
 *   on: (event: 'response', f: (client: unknown, status: number, bytes: number, ms: number) => void) => void
 * }}
 */
const autocannon = createRequire(import.meta.url)('autocannon');

const SECONDS = Number(process.env.LOAD_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.LOAD_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const LIGHTHOUSE_RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 1);
const WORKERS = process.env.WEB_CONCURRENCY ?? '1';
const port = Number(process.env.BENCH_PORT ?? 4284);
const origin = `http://localhost:${port}`;
const DB = 'postgres';

/** @type {{ name: string, path: string, rps: number }[]} */
const LOAD_PAGES = [
	{ name: 'survey', path: `/surveys/${SLUG}`, rps: 800 },
	{ name: 'questions', path: '/questions', rps: 500 },
	{ name: 'disclosures', path: '/disclosures', rps: 500 }
];
const P95_TARGET_MS = 50;

/** The lists, then one question and one disclosure: the first each list links to. */
const LIGHTHOUSE_PAGES = [{ name: 'home', path: '/' }, ...LOAD_PAGES];
const LIGHTHOUSE_ITEMS = [
	{ name: 'question', list: '/questions', pattern: /href="\.?(\/questions\/[A-Z0-9-]+)"/ },
	{ name: 'disclosure', list: '/disclosures', pattern: /href="\.?(\/disclosures\/\d+)"/ }
];

/** The address of the first item `list` links to. */
async function firstItem(/** @type {typeof LIGHTHOUSE_ITEMS[number]} */ item) {
	const html = await (await fetch(origin + item.list)).text();
	const found = item.pattern.exec(html.replaceAll('href="./', 'href="/'));
	if (!found?.[1]) throw new Error(`no ${item.name} linked from ${item.list}`);
	return found[1];
}
const LIGHTHOUSE_TARGETS = /** @type {const} */ ({
	performance: 95,
	accessibility: 100,
	'best-practices': 100
});
/** The quality goal P5's metric limits (LCP and TBT in ms), shown beside the scores. */
const METRIC_TARGETS = { lcp: 1500, tbt: 50, cls: 0.02 };
const CHROME_FLAGS = [
	'--headless=new',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

/**
 * One autocannon run against one path, with every response's latency kept.
 * @param {string} path
 * @param {number} seconds
 */
async function cannon(path, seconds) {
	/** @type {number[]} */
	const latencies = [];
	let non2xx = 0;
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const instance = autocannon({
		url: origin + path,
		connections: CONNECTIONS,
		duration: seconds,
		headers: { accept: 'text/html' },
		timeout: 10
	});
	instance.on(
		'response',
		(
			/** @type {unknown} */ _client,
			/** @type {number} */ status,
			/** @type {number} */ _bytes,
			/** @type {number} */ ms
		) => {
			latencies.push(ms);
			if (status < 200 || status > 299) non2xx++;
		}
	);
	const result = await instance;
	const elapsed = (performance.now() - started) / 1000;
	const cpu = process.cpuUsage(cpuBefore);
	latencies.sort((a, b) => a - b);
	return {
		requests: latencies.length,
		// responses per second over the whole run, every status included (non-2xx are listed apart)
		rps: latencies.length / elapsed,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99),
		non2xx,
		errors: result.errors + result.timeouts,
		// share of one core the load generator itself used (2 cores = 200 %)
		clientCpu: ((cpu.user + cpu.system) / 1e6 / elapsed) * 100
	};
}

/** @param {Record<string, string>} env */
const startServer = (env) =>
	start({
		port,
		env: { ...env, SEED_DEMO: 'true', NODE_ENV: 'production' },
		readyPath: `/surveys/${SLUG}`,
		timeoutMs: 180_000
	});

/**
 * Scores (x100) and the metrics of one page; the audits that cost points where a category is
 * under its target.
 * @param {number} chromePort
 * @param {string} path
 */
async function audit(chromePort, path) {
	const runner = await lighthouse(origin + path, {
		port: chromePort,
		output: 'json',
		logLevel: 'error',
		onlyCategories: Object.keys(LIGHTHOUSE_TARGETS)
	});
	if (!runner) throw new Error(`Lighthouse gave no result for ${path}`);
	const lhr = runner.lhr;
	if (lhr.runtimeError) throw new Error(`Lighthouse on ${path}: ${lhr.runtimeError.message}`);
	/** @type {Record<string, number>} */
	const scores = {};
	/** @type {Record<string, string[]>} */
	const failing = {};
	for (const [id, target] of Object.entries(LIGHTHOUSE_TARGETS)) {
		const category = lhr.categories[id];
		scores[id] = Math.round((category.score ?? 0) * 100);
		if (scores[id] >= target) continue;
		failing[id] = category.auditRefs
			.map((ref) => lhr.audits[ref.id])
			.filter(
				(a) =>
					a.score !== null &&
					a.score < (id === 'performance' ? 0.9 : 1) &&
					!['notApplicable', 'manual', 'informative'].includes(a.scoreDisplayMode)
			)
			.map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ''}`);
	}
	const metric = (/** @type {string} */ id) => lhr.audits[id]?.numericValue ?? NaN;
	return {
		scores,
		failing,
		lcp: metric('largest-contentful-paint'),
		tbt: metric('total-blocking-time'),
		cls: metric('cumulative-layout-shift'),
		warnings: lhr.runWarnings
	};
}

/**
 * The median run by performance score, when LIGHTHOUSE_RUNS asks for several.
 * @template {{ scores: Record<string, number> }} T
 * @param {T[]} runs
 */
function median(runs) {
	const sorted = [...runs].sort((a, b) => a.scores.performance - b.scores.performance);
	return sorted[Math.floor(sorted.length / 2)];
}

const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!adminUrl) {
	console.error(
		'bench:load runs on PostgreSQL: set TEST_DATABASE_URL (or BENCH_DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/test; the script creates and drops its own database there.'
	);
	process.exit(2);
}
const name = `cv_load_${Date.now()}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

/** @type {{ name: string, path: string, rps: number, result: Awaited<ReturnType<typeof cannon>> }[]} */
const loads = [];
/** @type {{ name: string, path: string, result: Awaited<ReturnType<typeof audit>> }[]} */
const audits = [];
let broken = false;
try {
	const server = await startServer({
		DATABASE_URL: url.toString(),
		DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '8',
		WEB_CONCURRENCY: WORKERS
	});
	try {
		for (const page of LOAD_PAGES) {
			await cannon(page.path, WARMUP_SECONDS);
			loads.push({ ...page, result: await cannon(page.path, SECONDS) });
		}
		// LIGHTHOUSE_RUNS=0: the load figures only
		if (LIGHTHOUSE_RUNS > 0) {
			const chrome = await chromeLauncher.launch({
				chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
				chromeFlags: CHROME_FLAGS
			});
			try {
				for (const item of LIGHTHOUSE_ITEMS)
					LIGHTHOUSE_PAGES.push({ name: item.name, path: await firstItem(item) });
				for (const page of LIGHTHOUSE_PAGES) {
					const runs = [];
					for (let i = 0; i < LIGHTHOUSE_RUNS; i++) runs.push(await audit(chrome.port, page.path));
					audits.push({ name: page.name, path: page.path, result: median(runs) });
				}
			} finally {
				chrome.kill();
			}
		}
	} finally {
		await stopServer(server);
	}
} catch (e) {
	broken = true;
	console.error(String(e instanceof Error ? (e.stack ?? e) : e));
} finally {
	await admin.query(`drop database if exists ${name} with (force)`);
	await admin.end();
}

const verdict = (/** @type {boolean} */ ok) => (ok ? 'pass' : 'MISSED');
if (loads.length) {
	console.log(
		`\nload: ${CONNECTIONS} connections, ${SECONDS} s per page after ${WARMUP_SECONDS} s warm-up, WEB_CONCURRENCY=${WORKERS}, db ${DB}`
	);
	console.log(
		'page          req/s   p50 ms  p95 ms  p99 ms  non-2xx  errors  client CPU  target                      result'
	);
	for (const { name: page, rps, result: r } of loads) {
		const ok = r.rps >= rps && r.p95 <= P95_TARGET_MS && r.non2xx === 0 && r.errors === 0;
		console.log(
			`${page.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.non2xx).padStart(8)} ${String(r.errors).padStart(7)} ${`${r.clientCpu.toFixed(0)} %`.padStart(11)}  ${`>= ${rps} req/s, p95 <= ${P95_TARGET_MS} ms`.padEnd(28)}${verdict(ok)}`
		);
	}
}
if (audits.length) {
	console.log(
		`\nLighthouse ${LIGHTHOUSE_RUNS > 1 ? `(median of ${LIGHTHOUSE_RUNS} runs) ` : ''}mobile: targets performance >= ${LIGHTHOUSE_TARGETS.performance}, accessibility ${LIGHTHOUSE_TARGETS.accessibility}, best practices ${LIGHTHOUSE_TARGETS['best-practices']}`
	);
	console.log('page          perf  a11y  b.p.   LCP ms  TBT ms     CLS  result');
	for (const { name: page, result: r } of audits) {
		const ok = Object.keys(r.failing).length === 0;
		console.log(
			`${page.padEnd(12)} ${String(r.scores.performance).padStart(5)} ${String(r.scores.accessibility).padStart(5)} ${String(r.scores['best-practices']).padStart(5)} ${r.lcp.toFixed(0).padStart(8)} ${r.tbt.toFixed(0).padStart(7)} ${r.cls.toFixed(3).padStart(7)}  ${verdict(ok)}`
		);
		for (const [category, ids] of Object.entries(r.failing))
			console.log(`    ${category} below target: ${ids.join(', ') || '(no single audit below 1)'}`);
		const slow = Object.entries(METRIC_TARGETS)
			.filter(([k, max]) => r[/** @type {'lcp' | 'tbt' | 'cls'} */ (k)] > max)
			.map(([k, max]) => `${k.toUpperCase()} > ${max}`);
		if (slow.length)
			console.log(`    metrics over the issue's P5 goal (not scored here): ${slow.join(', ')}`);
		for (const warning of r.warnings) console.log(`    warning: ${warning}`);
	}
}
console.log('');
for (const { name: page, result: r } of loads) {
	const base = { db: DB, page, workers: Number(WORKERS), connections: CONNECTIONS };
	console.log(
		JSON.stringify({ metric: 'load_rps', value: Math.round(r.rps), unit: '1/s', ...base })
	);
	for (const p of /** @type {const} */ (['p50', 'p95', 'p99']))
		console.log(
			JSON.stringify({
				metric: `load_${p}_ms`,
				value: Number(r[p].toFixed(1)),
				unit: 'ms',
				...base
			})
		);
	console.log(JSON.stringify({ metric: 'load_non2xx', value: r.non2xx, unit: 'count', ...base }));
	console.log(JSON.stringify({ metric: 'load_errors', value: r.errors, unit: 'count', ...base }));
	console.log(
		JSON.stringify({
			metric: 'load_client_cpu',
			value: Math.round(r.clientCpu),
			unit: '% of one core',
			...base
		})
	);
}
for (const { name: page, result: r } of audits) {
	for (const [category, score] of Object.entries(r.scores))
		console.log(
			JSON.stringify({
				metric: `lighthouse_${category.replace('-', '_')}`,
				value: score,
				unit: 'score',
				page
			})
		);
	console.log(
		JSON.stringify({ metric: 'lighthouse_lcp_ms', value: Math.round(r.lcp), unit: 'ms', page })
	);
	console.log(
		JSON.stringify({ metric: 'lighthouse_tbt_ms', value: Math.round(r.tbt), unit: 'ms', page })
	);
	console.log(
		JSON.stringify({
			metric: 'lighthouse_cls',
			value: Number(r.cls.toFixed(3)),
			unit: 'score',
			page
		})
	);
}
// A run that could not measure every page is broken; a missed target is only reported.
const complete =
	loads.length === LOAD_PAGES.length &&
	audits.length === (LIGHTHOUSE_RUNS ? LIGHTHOUSE_PAGES.length : 0);
const failedRequests = loads.some(({ result: r }) => r.errors > 0);
process.exit(broken || !complete || failedRequests ? 1 : 0);
