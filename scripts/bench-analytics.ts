// The analytics benchmark, run by scripts/bench-analytics.js through Vite (for $lib aliases).
// On a scratch PostgreSQL database it creates one SIPAS-style wave over every commune of a
// province, generates synthetic responses in SQL (spread over communes, demographic bands and
// answers), and at each size (100 k, then 1 M) measures:
// - the dashboard query (`waveResults`, everything the wave page reads) for a mix of filters:
//   none, a commune, a band value, both; p50/p95/p99 over BENCH_QUERIES runs;
// - the answer-distribution drill-down the same way;
// - the time to recompute the wave's working sums from the raw answers, to verify them against the
//   raw answers, and to take the snapshot analysts read (standard errors from the raw answers, the
//   hidden cells decided), each with the largest resident memory of this process while it ran;
// - the storage per wave: the working sums alone (as before issue 16), and with the snapshot;
// - streaming the microdata CSV (at 100 k only, as the target is stated for 100 k).
import { sql } from 'kysely';
import { openDb, type Db } from '../src/lib/server/db';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { recomputeWave, verifyWave } from '../src/lib/server/analytics/aggregate';
import { microdataStream } from '../src/lib/server/analytics/microdata';
import { takeSnapshot } from '../src/lib/server/analytics/snapshot';
import { waveDistributions, waveResults } from '../src/lib/server/analytics/results';
import { latestPublished } from '../src/lib/server/surveys/instruments';
import { createWave, setWaveStatus } from '../src/lib/server/surveys/waves';
import { allQuestions } from '../src/lib/surveys/spec';
import { ensureAdminUnits } from '../seeds/admin-units';
import { ensureInstruments } from '../seeds/instruments';

type Figure = { metric: string; value: number; unit: string; db: 'postgres'; responses?: number };

/** Rows a wave holds in a table, and the bytes they take (rows and their index entries, roughly). */
async function storage(db: Db, table: 'analytics_cell' | 'analytics_result', waveId: number) {
	const { rows } = await sql<{ rows: number; bytes: number }>`
		select count(*)::int as rows, coalesce(sum(pg_column_size(t.*)), 0)::float8 as bytes
		from ${sql.table(table)} t where t.wave_id = ${waveId}`.execute(db);
	const { rows: all } = await sql<{ total: number; table: number }>`
		select pg_total_relation_size(${table}::regclass)::float8 as total,
			pg_relation_size(${table}::regclass)::float8 as table`.execute(db);
	// index entries scale with the rows: take the table's share of its indexes
	const share = all[0]!.table > 0 ? all[0]!.total / all[0]!.table : 1;
	return { rows: rows[0]!.rows, mb: (rows[0]!.bytes * share) / 1e6 };
}

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
	const started = performance.now();
	const result = await work();
	return [result, performance.now() - started];
}

/** `timed`, with the process's largest resident set size (MB) while it ran, sampled every 10 ms. */
async function measured<T>(work: () => Promise<T>): Promise<[T, number, number]> {
	let peak = process.memoryUsage.rss();
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
	try {
		const [result, ms] = await timed(work);
		return [result, ms, Math.max(peak, process.memoryUsage.rss()) / 1e6];
	} finally {
		clearInterval(sampler);
	}
}

/** Adds `count` synthetic responses with their answers, in SQL: a million in a few minutes. */
async function generate(
	db: Db,
	wave: { id: number; versionId: number },
	from: number,
	count: number
) {
	const version = (await latestPublished(db, 'sipas'))!;
	const communes = await sql<{ id: number }>`
		select c.id from admin_unit c join survey_wave_unit wu on c.parent_id = wu.unit_id
		where wu.wave_id = ${wave.id} and c.valid_to is null order by c.id`.execute(db);
	const unitIds = communes.rows.map((c) => c.id);
	for (let at = from; at < from + count; at += 100_000) {
		const to = Math.min(from + count, at + 100_000) - 1;
		await sql`
			insert into survey_response (wave_id, instrument_version_id, unit_id, mode, submitted_hour,
				receipt, submit_key_hash, answers_digest)
			select ${wave.id}, ${wave.versionId}, (${unitIds}::int[])[1 + ((i::bigint * 7919) % ${unitIds.length})::int],
				case when i % 4 = 0 then 'interviewer' else 'web' end,
				date_trunc('hour', timestamptz '2026-09-01' + i * interval '7 seconds'),
				'BENCH-' || i, sha256(('bench-' || i)::bytea), '\\x00'::bytea
			from generate_series(${at}::int, ${to}::int) i`.execute(db);
	}
	// every choice question of each response, written response by response as submissions are:
	// an option drawn with a commune- and question-specific lean, so groups and questions differ
	const choices = allQuestions(version.spec).flatMap((q) =>
		'options' in q ? [{ code: q.code, options: q.options.map((o) => o.code) }] : []
	);
	for (let at = from; at < from + count; at += 100_000) {
		const to = Math.min(from + count, at + 100_000) - 1;
		await sql`
			insert into survey_answer (response_id, question_code, option_code)
			select r.id, q.code, q.options[1 + least(cardinality(q.options) - 1,
				floor(power(random(), 1.0 + (abs(hashtext(r.unit_id::text || q.code)) % 5) / 2.0)
					* cardinality(q.options)))::int]
			from survey_response r
			cross join jsonb_to_recordset(${JSON.stringify(choices)}::jsonb) as q(code text, options text[])
			where r.wave_id = ${wave.id} and substr(r.receipt, 7)::int between ${at} and ${to}
			order by r.id`.execute(db);
		// what a submission writes with the response (see migration 005)
		await sql`
			update survey_response r set closed_answers = coalesce((
				select string_agg(a.question_code || '=' || a.option_code, '&')
				from survey_answer a where a.response_id = r.id), '')
			where r.wave_id = ${wave.id} and substr(r.receipt, 7)::int between ${at} and ${to}`.execute(db);
	}
	await sql`analyze survey_response`.execute(db);
	await sql`analyze survey_answer`.execute(db);
}

const FILTERS = (units: string[], bands: [string, string][]) => [
	new URLSearchParams(),
	...units.slice(0, 5).map((unit) => new URLSearchParams({ unit })),
	...bands.slice(0, 5).map(([q, o]) => new URLSearchParams({ band: `${q}:${o}` })),
	...units.slice(0, 5).map(
		(unit, i) =>
			new URLSearchParams({
				unit,
				band: `${bands[i % bands.length]![0]}:${bands[i % bands.length]![1]}`
			})
	)
];

async function latencies(
	runs: number,
	filters: URLSearchParams[],
	query: (params: URLSearchParams) => Promise<unknown>
): Promise<{ p50: number; p95: number; p99: number }> {
	for (const f of filters) await query(f); // warm the connection pool and plans
	const times: number[] = [];
	for (let i = 0; i < runs; i++)
		times.push((await timed(() => query(filters[i % filters.length]!)))[1]);
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

export async function run(options: { databaseUrl: string; sizes: number[]; runs: number }) {
	const { db } = openDb({ databaseUrl: options.databaseUrl, pgliteDir: 'memory://', poolMax: 4 });
	const figures: Figure[] = [];
	try {
		await migrateToLatest(db);
		await ensureAdminUnits(db);
		await ensureInstruments(db);
		const version = (await latestPublished(db, 'sipas'))!;
		const province = await db
			.selectFrom('admin_unit')
			.select('id')
			.where('code', '=', '08')
			.where('valid_to', 'is', null)
			.executeTakeFirstOrThrow();
		const waveId = await createWave(
			db,
			{
				slug: `bench-${Date.now()}`,
				versionId: version.id,
				title: { vi: 'Đo hiệu năng', en: 'Benchmark' },
				unitIds: [province.id]
			},
			null
		);
		await setWaveStatus(db, waveId, 'open', null);
		const wave = { id: waveId, versionId: version.id };
		let have = 0;
		for (const size of options.sizes) {
			const [, generating] = await timed(() => generate(db, wave, have + 1, size - have));
			have = size;
			console.info(`bench: ${size} responses generated in ${Math.round(generating / 1000)} s`);
			const [{ cells }, recompute, recomputeRss] = await measured(() => recomputeWave(db, waveId));
			console.info(
				`bench: ${cells} cells recomputed from raw answers in ${Math.round(recompute)} ms, ` +
					`peak RSS ${Math.round(recomputeRss)} MB`
			);
			const [check, verify, verifyRss] = await measured(() => verifyWave(db, waveId));
			console.info(
				`bench: ${check.cells} cells verified against raw answers in ${Math.round(verify)} ms, ` +
					`peak RSS ${Math.round(verifyRss)} MB, ${check.differences.length} differ`
			);
			for (const [metric, value, unit] of [
				['recompute_ms', Math.round(recompute), 'ms'],
				['recompute_peak_rss_mb', Math.round(recomputeRss), 'MB'],
				['verify_ms', Math.round(verify), 'ms'],
				['verify_peak_rss_mb', Math.round(verifyRss), 'MB'],
				['verify_differences', check.differences.length, 'cells']
			] as const)
				figures.push({ metric, value, unit, db: 'postgres', responses: size });
			const [snapshot, snapshotting] = await timed(() => takeSnapshot(db, waveId));
			console.info(
				`bench: snapshot of ${snapshot.responses} responses (${snapshot.cells} rows) in ${Math.round(snapshotting)} ms`
			);
			figures.push({
				metric: 'snapshot_ms',
				value: Math.round(snapshotting),
				unit: 'ms',
				db: 'postgres',
				responses: size
			});
			const working = await storage(db, 'analytics_cell', waveId);
			const published = await storage(db, 'analytics_result', waveId);
			console.info(
				`bench: storage per wave: working sums ${working.rows} rows, ${working.mb.toFixed(1)} MB (before); ` +
					`with the snapshot ${working.rows + published.rows} rows, ${(working.mb + published.mb).toFixed(1)} MB (after)`
			);
			for (const [metric, value, unit] of [
				['storage_cells_before', working.rows, 'rows'],
				['storage_mb_before', Number(working.mb.toFixed(2)), 'MB'],
				['storage_cells_after', working.rows + published.rows, 'rows'],
				['storage_mb_after', Number((working.mb + published.mb).toFixed(2)), 'MB']
			] as const)
				figures.push({ metric, value, unit, db: 'postgres', responses: size });

			const ctx = await waveResults(db, wave);
			const units = ctx.choices.units.map((u) => u.key);
			const bands = ctx.choices.bands.flatMap((b) =>
				b.options.map((o): [string, string] => [b.question, o.key])
			);
			const filters = FILTERS(units, bands);
			const dashboard = await latencies(options.runs, filters, (p) => waveResults(db, wave, p));
			const drill = await latencies(Math.ceil(options.runs / 2), filters, (p) =>
				waveDistributions(db, wave, p)
			);
			for (const [name, l] of [
				['dashboard', dashboard],
				['distributions', drill]
			] as const)
				for (const p of ['p50', 'p95', 'p99'] as const)
					figures.push({
						metric: `${name}_${p}_ms`,
						value: Number(l[p].toFixed(1)),
						unit: 'ms',
						db: 'postgres',
						responses: size
					});
			console.info(
				`bench: dashboard p50/p95/p99 ${dashboard.p50.toFixed(1)}/${dashboard.p95.toFixed(1)}/${dashboard.p99.toFixed(1)} ms over ${filters.length} filters`
			);

			if (size <= 100_000) {
				const [bytes, streaming] = await timed(async () => {
					const reader = microdataStream(
						db,
						waveId,
						version.spec,
						{
							row: 'row',
							unit: 'unit',
							mode: 'mode',
							day: 'day',
							weight: 'weight',
							designWeight: 'design_weight',
							stratum: 'stratum',
							psu: 'psu'
						},
						false
					).getReader();
					let total = 0;
					for (let r = await reader.read(); !r.done; r = await reader.read())
						total += r.value.byteLength;
					return total;
				});
				console.info(
					`bench: microdata CSV of ${size} responses, ${(bytes / 1e6).toFixed(1)} MB, in ${Math.round(streaming)} ms`
				);
				figures.push({
					metric: 'microdata_csv_ms',
					value: Math.round(streaming),
					unit: 'ms',
					db: 'postgres',
					responses: size
				});
				figures.push({
					metric: 'microdata_csv_bytes',
					value: bytes,
					unit: 'B',
					db: 'postgres',
					responses: size
				});
			}
		}
	} finally {
		await db.destroy();
	}
	return figures;
}
