#!/usr/bin/env node
// Drives the real HTTP path of complete survey responses against the production build:
// GET the one-page SIPAS-style survey, POST every answer, follow the redirect to the receipt.
// Runs 1, 8 and 32 concurrent clients for BENCH_SECONDS each, on PGlite and (when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL, then checks
// that the stored responses are exactly the acknowledged ones. Loopback only, bounded in time.
// Needs `npm run build` first. Prints a table, then one JSON line per figure.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

const SLUG = 'sipas-mot-cua-vi-xuyen-2026';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const port = Number(process.env.BENCH_PORT ?? 4197);
const origin = `http://localhost:${port}`;

// Keep-alive connections, as a browser holds them; plain node:http keeps the client's own CPU
// cost low, since it shares the machine with the server it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * @param {string} method
 * @param {string} path
 * @param {string} [body]
 * @returns {Promise<{ status: number, location: string, text: string }>}
 */
function request(method, path, body) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${origin}${path}`,
			{
				method,
				agent,
				timeout: 10_000,
				headers: body
					? { origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
					: { accept: 'text/html' }
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						location: String(res.headers.location ?? ''),
						text: Buffer.concat(chunks).toString()
					})
				);
				res.on('error', reject);
			}
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * The questions of the form and the values each may take, read once from the survey page.
 * @param {string} html
 * @returns {[string, string[]][]}
 */
function formShape(html) {
	/** @type {Map<string, string[]>} */
	const shape = new Map();
	const add = (/** @type {string} */ name, /** @type {string} */ value) =>
		shape.set(name, [...(shape.get(name) ?? []), value]);
	for (const m of html.matchAll(/<input type="(radio|checkbox)" name="([^"]+)" value="([^"]+)"/g))
		add(m[2], m[3]);
	for (const m of html.matchAll(/<select id="[^"]+" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
		for (const o of m[2].matchAll(/<option value="([^"]+)"/g)) add(m[1], o[1]);
	for (const m of html.matchAll(/<input id="[^"]+" name="([^"]+)" type="text" (inputmode)?/g))
		add(m[1], m[2] ? '3' : 'Cấp giấy khai sinh');
	for (const m of html.matchAll(/<textarea id="[^"]+" name="([^"]+)"/g))
		add(m[1], 'Niêm yết rõ thời hạn trả kết quả.');
	return [...shape];
}

/**
 * Respondents' answers: one value for every question (skip logic and "don't know" included),
 * chosen at random, so responses differ as real ones do. Drawn once, so that the client spends
 * its share of the machine on requests rather than on making up answers.
 * @param {[string, string[]][]} shape
 */
function respondents(shape, count = 64) {
	return Array.from({ length: count }, () => {
		const body = new URLSearchParams({ consent: 'yes' });
		for (const [name, values] of shape) {
			if (name === 'consent' || name === 'interviewer') continue;
			body.append(name, values[Math.floor(Math.random() * values.length)]);
		}
		return body.toString();
	});
}

const KEY_FIELD = 'name="submit_key" value="';
/** @type {string[] | undefined} */
let answerSets;

async function oneResponse() {
	const started = performance.now();
	const page = await request('GET', `/surveys/${SLUG}`);
	if (page.status !== 200) throw new Error(`GET survey: ${page.status}`);
	answerSets ??= respondents(formShape(page.text));
	const at = page.text.indexOf(KEY_FIELD);
	if (at < 0) throw new Error('no submit key on the survey page');
	const key = page.text.slice(at + KEY_FIELD.length, page.text.indexOf('"', at + KEY_FIELD.length));
	const answers = answerSets[Math.floor(Math.random() * answerSets.length)];
	const posted = await request(
		'POST',
		`/surveys/${SLUG}?/submit`,
		`${answers}&submit_key=${encodeURIComponent(key)}`
	);
	const receipt = posted.location.match(/receipt=([0-9A-Z-]+)/)?.[1];
	if (posted.status !== 303 || !receipt)
		throw new Error(`POST answers: ${posted.status} ${posted.location}`);
	const thanks = await request('GET', posted.location);
	if (thanks.status !== 200 || !thanks.text.includes(receipt)) throw new Error('receipt page');
	return { ms: performance.now() - started, receipt };
}

/** @param {number[]} sorted @param {number} p */
function percentile(sorted, p) {
	return sorted.length
		? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
		: NaN;
}

/**
 * @param {number} clients
 * @param {Set<string>} receipts
 */
async function level(clients, receipts) {
	/** @type {number[]} */
	const latencies = [];
	let errors = 0;
	const deadline = performance.now() + SECONDS * 1000;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: clients }, async () => {
			while (performance.now() < deadline) {
				try {
					const r = await oneResponse();
					latencies.push(r.ms);
					receipts.add(r.receipt);
				} catch (e) {
					errors++;
					if (errors <= 3) console.error(String(e));
				}
			}
		})
	);
	const elapsed = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	return {
		clients,
		done: latencies.length,
		errors,
		rps: latencies.length / elapsed,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99)
	};
}

/** @param {Record<string, string>} env */
async function startServer(env) {
	const child = spawn('node', ['server.js'], {
		env: {
			...process.env,
			...env,
			PORT: String(port),
			ORIGIN: origin,
			SEED_DEMO: 'true',
			SURVEY_SUBMITS_PER_HOUR: '1000000'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			if ((await fetch(`${origin}/surveys/${SLUG}`)).ok) return child;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error('node build did not start within 120 s');
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** @param {import('node:child_process').ChildProcess} child */
async function stop(child) {
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	await exited;
}

// The demo seeds synthetic responses dated September 2026; count only those of this run.
const STARTED = new Date(Date.now() - 3_600_000).toISOString();
const COUNT_SQL = `select r.receipt from survey_response r join survey_wave w on w.id = r.wave_id
	where w.slug = '${SLUG}' and r.submitted_hour >= timestamptz '${STARTED}'`;

/** @param {'pglite' | 'postgres'} db */
async function run(db) {
	/** @type {string[]} */
	let stored;
	/** @type {Awaited<ReturnType<typeof level>>[]} */
	let results;
	const receipts = new Set();
	if (db === 'pglite') {
		const dir = mkdtempSync(join(tmpdir(), 'civic-voice-bench-'));
		try {
			const server = await startServer({ PGLITE_DIR: dir });
			results = [];
			for (const clients of LEVELS) results.push(await level(clients, receipts));
			await stop(server);
			const lite = new PGlite(dir);
			stored = (await lite.query(COUNT_SQL)).rows.map(
				(r) => /** @type {{ receipt: string }} */ (r).receipt
			);
			await lite.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	} else {
		const adminUrl = /** @type {string} */ (
			process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
		);
		const name = `cv_bench_${Date.now()}`;
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		await admin.query(`create database ${name}`);
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		try {
			const server = await startServer({
				DATABASE_URL: url.toString(),
				DATABASE_POOL_MAX: '8',
				WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1'
			});
			results = [];
			for (const clients of LEVELS) results.push(await level(clients, receipts));
			await stop(server);
			const client = new pg.Client({ connectionString: url.toString() });
			await client.connect();
			stored = (await client.query(COUNT_SQL)).rows.map((r) => r.receipt);
			await client.end();
		} finally {
			await admin.query(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	}
	const storedSet = new Set(stored);
	const exact = stored.length === receipts.size && [...receipts].every((r) => storedSet.has(r));
	return { db, results, acknowledged: receipts.size, stored: stored.length, exact };
}

/** @type {('pglite' | 'postgres')[]} */
const backends = ['pglite'];
if (process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL) backends.push('postgres');
const runs = [];
for (const db of backends) runs.push(await run(db));

console.log(`\ncomplete responses (GET survey, POST answers, GET receipt), ${SECONDS} s per level`);
console.log('db        clients  done  errors  resp/s   p50 ms  p95 ms  p99 ms');
for (const r of runs) {
	for (const l of r.results) {
		console.log(
			`${r.db.padEnd(9)} ${String(l.clients).padStart(7)} ${String(l.done).padStart(5)} ${String(l.errors).padStart(7)} ${l.rps.toFixed(1).padStart(7)} ${l.p50.toFixed(0).padStart(8)} ${l.p95.toFixed(0).padStart(7)} ${l.p99.toFixed(0).padStart(7)}`
		);
	}
	console.log(
		`${r.db}: acknowledged ${r.acknowledged}, stored ${r.stored}, ${r.exact ? 'identical' : 'DIFFERENT'}`
	);
}
for (const r of runs) {
	for (const l of r.results) {
		console.log(
			JSON.stringify({
				metric: 'submit_rps',
				value: Number(l.rps.toFixed(1)),
				unit: '1/s',
				db: r.db,
				clients: l.clients
			})
		);
		for (const p of /** @type {const} */ (['p50', 'p95', 'p99'])) {
			console.log(
				JSON.stringify({
					metric: `submit_${p}_ms`,
					value: Math.round(l[p]),
					unit: 'ms',
					db: r.db,
					clients: l.clients
				})
			);
		}
		console.log(
			JSON.stringify({
				metric: 'submit_errors',
				value: l.errors,
				unit: 'count',
				db: r.db,
				clients: l.clients
			})
		);
	}
	console.log(
		JSON.stringify({
			metric: 'stored_equals_acknowledged',
			value: r.exact ? 1 : 0,
			unit: 'bool',
			db: r.db,
			acknowledged: r.acknowledged,
			stored: r.stored
		})
	);
}
process.exit(runs.every((r) => r.exact) ? 0 : 1);
