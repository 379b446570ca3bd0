import { sql } from 'kysely';
import { accumulator, type Group, type GroupSums, type Sums } from '$lib/analytics/cells';
import type { CleanAnswer } from '$lib/surveys/answers';
import { inTransaction, type Db } from '../db';
import { specOfVersion } from '../surveys/instruments';

/**
 * Keeps analytics_cell current: responses queued by the submission are added in batches, so a
 * response shows in live results within seconds and a dashboard reads sums, never answers.
 * `verifyWave` recomputes a wave from the raw answers and reports any difference.
 */

const SEP = '\u001f';
type Key = string; // wave, grouping, cell, measure joined by SEP

const groupKeyOf = (waveId: number) => (g: Group) => [waveId, g.grouping, g.cell].join(SEP);

/** Flat keys for the store: wave, grouping, cell, measure. */
function flatten(nested: GroupSums): Map<Key, Sums> {
	const flat = new Map<Key, Sums>();
	for (const [group, measures] of nested)
		for (const [measure, sums] of measures) flat.set(`${group}${SEP}${measure}`, sums);
	return flat;
}

type Row = {
	id: string;
	wave_id: number;
	instrument_version_id: number;
	unit_id: number | null;
	weight: number;
};

/**
 * Responses with their weight (the raked one, else their commune's design weight, else 1) and
 * stratum (their commune's in the wave, else '').
 */
export const responses = (db: Db) =>
	db
		.selectFrom('survey_response as r')
		.leftJoin('survey_wave_weight as ww', (j) =>
			j.onRef('ww.wave_id', '=', 'r.wave_id').onRef('ww.unit_id', '=', 'r.unit_id')
		)
		.select((eb) => [
			'r.id',
			'r.wave_id',
			'r.instrument_version_id',
			'r.unit_id',
			eb.fn.coalesce('r.raked_weight', 'ww.weight', eb.lit(1)).as('weight'),
			sql<string>`coalesce(ww.stratum, '')`.as('stratum')
		]);

/**
 * Adds the sums the given responses make into `sums`, by group and measure; `yielding` lets
 * other work run every 200 responses.
 */
async function sumsOf(
	db: Db,
	responses: readonly Row[],
	sums: GroupSums = new Map(),
	yielding = false
): Promise<GroupSums> {
	if (!responses.length) return sums;
	const answers = await db
		.selectFrom('survey_answer')
		.select(['response_id', 'question_code', 'option_code'])
		.where(sql<boolean>`response_id = any(${responses.map((r) => r.id)}::uuid[])`)
		.where('option_code', 'is not', null)
		.execute();
	const byResponse = new Map<string, Map<string, string[]>>();
	for (const a of answers) {
		let questions = byResponse.get(a.response_id);
		if (!questions) byResponse.set(a.response_id, (questions = new Map()));
		questions.set(a.question_code, [...(questions.get(a.question_code) ?? []), a.option_code!]);
	}
	const adders = new Map<number, ReturnType<typeof accumulator>>();
	for (const [i, r] of responses.entries()) {
		// a live aggregator shares the event loop with the requests: let them in now and then
		if (yielding && i % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
		let add = adders.get(r.instrument_version_id);
		if (!add) {
			const spec = await specOfVersion(db, r.instrument_version_id);
			adders.set(r.instrument_version_id, (add = accumulator(spec)));
		}
		const given: CleanAnswer[] = [...(byResponse.get(r.id) ?? [])].map(([code, options]) => ({
			code,
			options
		}));
		add(sums, { unitId: r.unit_id, weight: r.weight, answers: given }, groupKeyOf(r.wave_id));
	}
	return sums;
}

/** Adds sums to the stored cells, in key order so that concurrent batches cannot deadlock. */
async function store(db: Db, sums: Map<Key, Sums>): Promise<void> {
	const keys = [...sums.keys()].sort();
	for (let at = 0; at < keys.length; at += 5000) {
		const chunk = keys.slice(at, at + 5000);
		const col = <T>(f: (key: string[], s: Sums) => T) =>
			chunk.map((k) => f(k.split(SEP), sums.get(k)!));
		await sql`
			insert into analytics_cell (wave_id, grouping, cell, measure, n, w, wy, wy2, w2, w2y, w2y2)
			select * from unnest(
				${col((k) => Number(k[0]))}::int[], ${col((k) => k[1]!)}::text[],
				${col((k) => k[2]!)}::text[], ${col((k) => k[3]!)}::text[],
				${col((_, s) => s.n)}::int[], ${col((_, s) => s.w)}::float8[],
				${col((_, s) => s.wy)}::float8[], ${col((_, s) => s.wy2)}::float8[],
				${col((_, s) => s.w2)}::float8[], ${col((_, s) => s.w2y)}::float8[],
				${col((_, s) => s.w2y2)}::float8[])
			on conflict (wave_id, grouping, cell, measure) do update set
				n = analytics_cell.n + excluded.n, w = analytics_cell.w + excluded.w,
				wy = analytics_cell.wy + excluded.wy, wy2 = analytics_cell.wy2 + excluded.wy2,
				w2 = analytics_cell.w2 + excluded.w2, w2y = analytics_cell.w2y + excluded.w2y,
				w2y2 = analytics_cell.w2y2 + excluded.w2y2`.execute(db);
	}
}

/** Adds up to `limit` queued responses to the cells; returns how many it took. */
export async function aggregateQueued(db: Db, limit = 1000): Promise<number> {
	// The sums are worked out before the transaction, so that it holds its locks (and, on the
	// embedded database, the one connection) only to take the queue rows and write the cells.
	// Whoever marks a queue row as aggregated adds that response: if another aggregator or a recompute took
	// some of these rows meanwhile, the sums are worked out again for the rows this one got.
	const { rows: seen } = await sql<{ response_id: string }>`
		select response_id from analytics_queue where not aggregated limit ${limit}`.execute(db);
	if (!seen.length) return 0;
	const ids = seen.map((s) => s.response_id);
	const rowsOf = (trx: Db, of: string[]) =>
		responses(trx)
			.where(sql<boolean>`r.id = any(${of}::uuid[])`)
			.execute();
	const early = flatten(await sumsOf(db, await rowsOf(db, ids), new Map(), true));
	return inTransaction(db, async (trx) => {
		// a response stays queued, marked as counted, until a snapshot publishes it
		const { rows: taken } = await sql<{ response_id: string }>`
			update analytics_queue set aggregated = true
			where response_id = any(${ids}::uuid[]) and not aggregated
			returning response_id`.execute(trx);
		if (!taken.length) return 0;
		const got = taken.map((t) => t.response_id);
		const sums =
			got.length === ids.length ? early : flatten(await sumsOf(trx, await rowsOf(trx, got)));
		await store(trx, sums);
		return got.length;
	});
}

export type Verification = { cells: number; differences: string[]; queued: number };

/** Table blocks read at a time when recomputing: about 5,000 responses. */
const BLOCKS_A_PAGE = 100;

/** The sums of a wave's responses computed from their raw answers. */
async function sumsFromRaw(db: Db, waveId: number): Promise<Map<Key, Sums>> {
	const expected: GroupSums = new Map();
	// Responses are read in the order they lie on disk, a range of table blocks at a time: their
	// ids are random, so reading them in id order would jump all over a large table, and each
	// response's answers were written next to those of the responses submitted around it.
	const { rows } = await sql<{ blocks: number }>`
		select (pg_relation_size('survey_response') / current_setting('block_size')::int)::int
			as blocks`.execute(db);
	const blocks = Number(rows[0]!.blocks);
	for (let block = 0; block <= blocks; block += BLOCKS_A_PAGE) {
		const page = await responses(db)
			.where('r.wave_id', '=', waveId)
			.where(sql<boolean>`r.ctid >= ${`(${block},0)`}::tid`)
			.where(sql<boolean>`r.ctid < ${`(${block + BLOCKS_A_PAGE},0)`}::tid`)
			.execute();
		await sumsOf(db, page, expected);
	}
	return flatten(expected);
}

/**
 * Rebuilds a wave's cells from its raw answers (after a change of design weights, or to repair
 * them), in one REPEATABLE READ transaction. It also takes the wave's queued responses, so an
 * aggregator that worked out sums for them beforehand finds them gone and adds nothing; when an
 * aggregator changed a row after the snapshot, the transaction fails to serialize and starts again.
 */
export async function recomputeWave(db: Db, waveId: number): Promise<{ cells: number }> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await db
				.transaction()
				.setIsolationLevel('repeatable read')
				.execute(async (trx) => {
					// the wave's queued responses are taken here and counted from the raw answers like
					// the rest; a submission committed after this snapshot stays queued for the aggregator
					await sql`update analytics_queue q set aggregated = true from survey_response r
						where r.id = q.response_id and r.wave_id = ${waveId} and not q.aggregated`.execute(trx);
					const sums = await sumsFromRaw(trx, waveId);
					await trx.deleteFrom('analytics_cell').where('wave_id', '=', waveId).execute();
					await store(trx, sums);
					// the published snapshot still has the old weights: the next one takes the new
					await trx
						.updateTable('analytics_snapshot')
						.set({ stale: true })
						.where('wave_id', '=', waveId)
						.execute();
					return { cells: sums.size };
				});
		} catch (e) {
			// a concurrent aggregator changed a cell after the snapshot: start again
			if ((e as { code?: string }).code !== '40001' || attempt >= 5) throw e;
		}
	}
}

/** Recomputes a wave's cells from its raw answers and lists every cell that differs. */
export async function verifyWave(db: Db, waveId: number): Promise<Verification> {
	const expected = await sumsFromRaw(db, waveId);
	const stored = await db
		.selectFrom('analytics_cell')
		.selectAll()
		.where('wave_id', '=', waveId)
		.execute();
	const differences: string[] = [];
	const seen = new Set<Key>();
	for (const row of stored) {
		const key = [row.wave_id, row.grouping, row.cell, row.measure].join(SEP);
		seen.add(key);
		const want = expected.get(key);
		const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
		if (
			!want ||
			row.n !== want.n ||
			!(['w', 'wy', 'wy2', 'w2', 'w2y', 'w2y2'] as const).every((k) => close(row[k], want[k]))
		)
			differences.push(
				`${row.grouping || 'wave'} ${row.cell} ${row.measure}: stored n=${row.n}, raw n=${want?.n ?? 0}`
			);
	}
	for (const [key, want] of expected)
		if (!seen.has(key)) {
			const [, grouping, cell, measure] = key.split(SEP);
			differences.push(`${grouping || 'wave'} ${cell} ${measure}: not stored, raw n=${want.n}`);
		}
	const { queued } = await db
		.selectFrom('analytics_queue as q')
		.innerJoin('survey_response as r', 'r.id', 'q.response_id')
		.select((eb) => eb.fn.countAll<number>().as('queued'))
		.where('r.wave_id', '=', waveId)
		.where('q.aggregated', '=', false)
		.executeTakeFirstOrThrow();
	return { cells: expected.size, differences, queued: Number(queued) };
}
