#!/usr/bin/env node
// Uploading (store.put) and downloading (reading the stream to its end) a 20 MB file through the
// database file store and the filesystem store, on PostgreSQL: time, throughput and how far the
// process's resident set (and the memory JavaScript holds: heap and buffers) grows, and how much
// of that is still in use (live: garbage collected before each sample); reading the whole file into memory is measured as a control (its
// growth shows what a download that is not streamed would cost). Each measurement runs in a fresh
// process (node --expose-gc).
// Uses a scratch database (civic_bench_files) on BENCH_DATABASE_URL or TEST_DATABASE_URL,
// dropped and created anew, and a temporary folder. BENCH_FILE_MB (20) and BENCH_RUNS (3) tune
// it. Prints one JSON line per figure (the median time of the runs, the largest growth).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
	const { withServerModule } = await import('./lib/server-module.js');
	await withServerModule('/scripts/bench-files.ts', async (bench) =>
		console.log(JSON.stringify(await bench.measure(JSON.parse(process.argv[3]), globalThis.gc)))
	);
	process.exit();
}

const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!server) {
	console.error('bench:files needs BENCH_DATABASE_URL or TEST_DATABASE_URL (PostgreSQL)');
	process.exit(2);
}
const megabytes = Number(process.env.BENCH_FILE_MB ?? 20);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const pg = (await import('pg')).default;
const name = 'civic_bench_files';
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`drop database if exists ${name} with (force)`);
await admin.query(`create database ${name}`);
const url = new URL(server);
url.pathname = `/${name}`;
const dir = mkdtempSync(join(tmpdir(), 'civic-bench-files-'));

/** @param {Record<string, unknown>} options */
function child(options) {
	const result = spawnSync(
		process.execPath,
		['--expose-gc', here, '--child', JSON.stringify(options)],
		{
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
			// glibc would otherwise raise its mmap threshold after the first large free and serve
			// later buffers from memory it already holds, hiding them from the resident set
			env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '65536' }
		}
	);
	if (result.status !== 0) throw new Error(`bench:files: ${JSON.stringify(options)} failed`);
	return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** @param {number} x */
const round = (x) => Math.round(x * 10) / 10;

try {
	for (const store of ['filesystem', 'database']) {
		for (const op of ['upload', 'download', 'download-whole']) {
			const results = [];
			for (let i = 0; i < runs; i += 1)
				results.push(child({ databaseUrl: url.toString(), dir, store, op, megabytes }));
			const ms = median(results.map((r) => r.ms));
			const rss = Math.max(...results.map((r) => r.rssGrowthMb));
			const js = Math.max(...results.map((r) => r.jsGrowthMb));
			const live = child({ databaseUrl: url.toString(), dir, store, op, megabytes, live: true });
			const metric = op.replace('-', '_');
			/** @type {[string, number, string][]} */
			const figures = [
				['ms', ms, 'ms'],
				['mb_s', megabytes / (ms / 1000), 'MB/s'],
				['rss_growth_mb', rss, 'MB'],
				['js_memory_growth_mb', js, 'MB'],
				['live_memory_growth_mb', live.jsGrowthMb, 'MB']
			];
			for (const [name, value, unit] of figures)
				console.log(
					JSON.stringify({
						metric: `file_${metric}_${name}`,
						value: round(value),
						unit,
						store,
						file_mb: megabytes,
						runs
					})
				);
		}
	}
} finally {
	await admin.query(`drop database if exists ${name} with (force)`);
	await admin.end();
	rmSync(dir, { recursive: true, force: true });
}
