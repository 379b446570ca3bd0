#!/usr/bin/env node
// Drives the real HTTP path of complete survey responses against the production build:
// GET the one-page SIPAS-style survey, POST every answer, follow the redirect to the receipt.
// Runs 1, 8 and 32 concurrent clients for BENCH_SECONDS each, on PGlite and (when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL, with and
// without named prepared statements; with BENCH_CLUSTER=1, on a throwaway primary with a
// streaming replica instead, and through pgbouncer in transaction mode too, sampling the
// replica's lag meanwhile. Then checks that the stored responses are exactly the acknowledged
// ones. Loopback only, bounded in time. Needs `npm run build` first. Prints a table, then one
// JSON line per figure. BENCH_DB narrows the runs (e.g. BENCH_DB=postgres to skip PGlite).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { startPgCluster } from './lib/pg-cluster.js';
import {
	formShape,
	percentile,
	receiptOf,
	request as send,
	respondents,
	startServer as start,
	stopServer,
	submitKeyOf,
	SURVEY_SLUG as SLUG
} from './lib/harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const port = Number(process.env.BENCH_PORT ?? 4197);
const origin = `http://localhost:${port}`;

// Keep-alive connections, as a browser holds them.
const client = { origin, agent: new http.Agent({ keepAlive: true, maxSockets: 256 }) };
/** @param {string} method @param {string} path @param {string} [body] */
const request = (method, path, body) => send(client, method, path, body);

/** @type {string[] | undefined} */
let answerSets;

async function oneResponse() {
	const started = performance.now();
	const page = await request('GET', `/surveys/${SLUG}`);
	if (page.status !== 200) throw new Error(`GET survey: ${page.status}`);
	answerSets ??= respondents(formShape(page.text));
	const key = submitKeyOf(page.text);
	const answers = answerSets[Math.floor(Math.random() * answerSets.length)];
	const posted = await request(
		'POST',
		`/surveys/${SLUG}?/submit`,
		`${answers}&submit_key=${encodeURIComponent(key)}`
	);
	const receipt = receiptOf(posted);
	if (!receipt) throw new Error(`POST answers: ${posted.status} ${posted.location}`);
	const thanks = await request('GET', posted.location);
	if (thanks.status !== 200 || !thanks.text.includes(receipt)) throw new Error('receipt page');
	return { ms: performance.now() - started, receipt };
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
	return start({
		port,
		env: { ...env, SEED_DEMO: 'true', SURVEY_SUBMITS_PER_HOUR: '1000000' },
		readyPath: `/surveys/${SLUG}`
	});
}

/** @param {import('./lib/harness.js').Server} server */
const stop = (server) => stopServer(server);

// The demo seeds synthetic responses dated September 2026; count only those of this run.
const STARTED = new Date(Date.now() - 3_600_000).toISOString();
const COUNT_SQL = `select r.receipt from survey_response r join survey_wave w on w.id = r.wave_id
	where w.slug = '${SLUG}' and r.submitted_hour >= timestamptz '${STARTED}'`;

/**
 * How one run reaches its database.
 * @typedef {{ db: 'pglite' }
 *   | { db: 'postgres', adminUrl: string, prepared: boolean, via: 'direct' | 'pgbouncer',
 *       appBase?: string }} Variant
 */

/** @param {Variant} v */
const labelOf = (v) =>
	v.db === 'pglite' ? 'pglite' : `pg ${v.via}${v.prepared ? ' named' : ''}`.slice(0, 18);

/** @param {string} base @param {string} name */
const withDatabase = (base, name) => {
	const url = new URL(base);
	url.pathname = `/${name}`;
	return url.toString();
};

/**
 * The replica's largest lag while `work` runs, sampled every 250 ms (seconds, as the analytics
 * pages measure it, and bytes of WAL not yet replayed).
 * @template T @param {import('./lib/pg-cluster.js').PgCluster | undefined} cluster
 * @param {() => Promise<T>} work
 */
async function sampleLag(cluster, work) {
	const lag = { seconds: 0, bytes: 0 };
	if (!cluster) return { result: await work(), lag: null };
	let done = false;
	const sampler = (async () => {
		const replica = new pg.Client({ connectionString: cluster.replicaUrl });
		await replica.connect();
		try {
			while (!done) {
				const { rows } = await replica.query(LAG_SQL);
				lag.seconds = Math.max(lag.seconds, Number(rows[0].lag));
				lag.bytes = Math.max(lag.bytes, await cluster.replicaLagBytes());
				await new Promise((r) => setTimeout(r, 250));
			}
		} finally {
			await replica.end();
		}
	})();
	try {
		return { result: await work(), lag };
	} finally {
		done = true;
		await sampler;
	}
}
// the analytics pages' own measure (src/lib/server/db/replica.ts)
const LAG_SQL = `select case
	when not pg_is_in_recovery() or pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
	else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)
end::float8 as lag`;

/**
 * @param {Variant} variant
 * @param {import('./lib/pg-cluster.js').PgCluster} [cluster]
 */
async function run(variant, cluster) {
	/** @type {string[]} */
	let stored;
	/** @type {Awaited<ReturnType<typeof level>>[]} */
	const results = [];
	let lag = null;
	const receipts = new Set();
	if (variant.db === 'pglite') {
		const dir = mkdtempSync(join(tmpdir(), 'civic-voice-bench-'));
		try {
			const server = await startServer({ PGLITE_DIR: dir });
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
		const name = `cv_bench_${Date.now()}`;
		const admin = new pg.Client({ connectionString: variant.adminUrl });
		await admin.connect();
		await admin.query(`create database ${name}`);
		const url = withDatabase(variant.adminUrl, name);
		const appUrl =
			variant.via === 'pgbouncer'
				? `${withDatabase(/** @type {string} */ (variant.appBase), name)}?pgbouncer=true`
				: url;
		try {
			const server = await startServer({
				DATABASE_URL: appUrl,
				DATABASE_PREPARED: String(variant.prepared),
				DATABASE_POOL_MAX: '8',
				WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1'
			});
			const sampled = await sampleLag(cluster, async () => {
				for (const clients of LEVELS) results.push(await level(clients, receipts));
			});
			lag = sampled.lag;
			await stop(server);
			const client = new pg.Client({ connectionString: url });
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
	return {
		variant,
		label: labelOf(variant),
		results,
		lag,
		acknowledged: receipts.size,
		stored: stored.length,
		exact
	};
}

const only = process.env.BENCH_DB;
const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
/** @type {import('./lib/pg-cluster.js').PgCluster | undefined} */
let cluster;
if (process.env.BENCH_CLUSTER === '1')
	cluster = await startPgCluster({ port: port + 1, replicaPort: port + 2, bouncerPort: port + 3 });
/** @type {Variant[]} */
const variants = [];
if (!only || only === 'pglite') variants.push({ db: 'pglite' });
const adminUrl = cluster ? withDatabase(cluster.primaryUrl, 'postgres') : pgUrl;
if (adminUrl && (!only || only === 'postgres')) {
	variants.push({ db: 'postgres', adminUrl, prepared: true, via: 'direct' });
	variants.push({ db: 'postgres', adminUrl, prepared: false, via: 'direct' });
	if (cluster)
		variants.push({
			db: 'postgres',
			adminUrl,
			prepared: false,
			via: 'pgbouncer',
			appBase: cluster.bouncerUrl
		});
}
// On a shared machine the load comes and goes: BENCH_ROUNDS > 1 runs every variant again,
// in reverse order every other round, so that no variant always runs first or last.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const runs = [];
try {
	for (let round = 1; round <= ROUNDS; round++)
		for (const v of round % 2 ? variants : [...variants].reverse())
			runs.push({ ...(await run(v, cluster)), round });
} finally {
	await cluster?.stop();
}

console.log(`\ncomplete responses (GET survey, POST answers, GET receipt), ${SECONDS} s per level`);
console.log('db                 clients  done  errors  resp/s   p50 ms  p95 ms  p99 ms');
for (const r of runs) {
	for (const l of r.results) {
		console.log(
			`${r.label.padEnd(18)} ${String(l.clients).padStart(7)} ${String(l.done).padStart(5)} ${String(l.errors).padStart(7)} ${l.rps.toFixed(1).padStart(7)} ${l.p50.toFixed(0).padStart(8)} ${l.p95.toFixed(0).padStart(7)} ${l.p99.toFixed(0).padStart(7)}`
		);
	}
	console.log(
		`${r.label}: acknowledged ${r.acknowledged}, stored ${r.stored}, ${r.exact ? 'identical' : 'DIFFERENT'}` +
			(r.lag
				? `; replica lag at most ${r.lag.seconds.toFixed(2)} s, ${(r.lag.bytes / 1024).toFixed(0)} KB`
				: '')
	);
}
/** @param {(typeof runs)[number]} r */
const tags = (r) => ({
	...(r.variant.db === 'pglite'
		? { db: 'pglite' }
		: { db: 'postgres', prepared: r.variant.prepared, via: r.variant.via }),
	...(ROUNDS > 1 ? { round: r.round } : {})
});
for (const r of runs) {
	for (const l of r.results) {
		console.log(
			JSON.stringify({
				metric: 'submit_rps',
				value: Number(l.rps.toFixed(1)),
				unit: '1/s',
				...tags(r),
				clients: l.clients
			})
		);
		for (const p of /** @type {const} */ (['p50', 'p95', 'p99'])) {
			console.log(
				JSON.stringify({
					metric: `submit_${p}_ms`,
					value: Math.round(l[p]),
					unit: 'ms',
					...tags(r),
					clients: l.clients
				})
			);
		}
		console.log(
			JSON.stringify({
				metric: 'submit_errors',
				value: l.errors,
				unit: 'count',
				...tags(r),
				clients: l.clients
			})
		);
	}
	console.log(
		JSON.stringify({
			metric: 'stored_equals_acknowledged',
			value: r.exact ? 1 : 0,
			unit: 'bool',
			...tags(r),
			acknowledged: r.acknowledged,
			stored: r.stored
		})
	);
}
for (const r of runs)
	if (r.lag) {
		console.log(
			JSON.stringify({
				metric: 'replica_lag_max_seconds',
				value: Number(r.lag.seconds.toFixed(2)),
				unit: 's',
				...tags(r)
			})
		);
		console.log(
			JSON.stringify({ metric: 'replica_lag_max_bytes', value: r.lag.bytes, unit: 'B', ...tags(r) })
		);
	}
process.exit(runs.every((r) => r.exact) ? 0 : 1);
