#!/usr/bin/env node
// Analytics at scale on PostgreSQL: dashboard query latency at 100 k and 1 M synthetic responses,
// the time to recompute the aggregates from raw answers, and the microdata CSV of 100 k responses.
// Uses a scratch database (BENCH_ANALYTICS_DB, default civic_bench) on the server named by
// BENCH_DATABASE_URL or TEST_DATABASE_URL, dropped and created anew. Takes several minutes and
// a few GB of disk at 1 M. Prints progress, then one JSON line per figure.
// BENCH_SIZES (default 100000,1000000) and BENCH_QUERIES (default 200) tune it.
import pg from 'pg';
import { withServerModule } from './lib/server-module.js';

const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!server) {
	console.error('bench:analytics needs BENCH_DATABASE_URL or TEST_DATABASE_URL (PostgreSQL)');
	process.exit(2);
}
const name = process.env.BENCH_ANALYTICS_DB ?? 'civic_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('BENCH_ANALYTICS_DB: a plain database name');
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`drop database if exists ${name} with (force)`);
await admin.query(`create database ${name}`);
await admin.end();
const url = new URL(server);
url.pathname = `/${name}`;

await withServerModule('/scripts/bench-analytics.ts', async (bench) => {
	const figures = await bench.run({
		databaseUrl: url.toString(),
		sizes: (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number),
		runs: Number(process.env.BENCH_QUERIES ?? 200)
	});
	for (const f of figures) console.log(JSON.stringify(f));
});
process.exit();
