import { sql } from 'kysely';
import { accumulator, type Group, type GroupSums, type Sums } from '$lib/analytics/cells';
import type { CleanAnswer } from '$lib/surveys/answers';
import { inTransaction, type Db } from '../db';
import { log } from '../log';
import { specOfVersion } from '../surveys/instruments';
import { inAggregatorTurn } from './turn';

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
	counter_id: number | null;
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
			'r.counter_id',
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
		add(
			sums,
			{ unitId: r.unit_id, counterId: r.counter_id, weight: r.weight, answers: given },
			groupKeyOf(r.wave_id)
		);
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

let tally = { added: 0, discarded: 0 };

/**
 * Responses this process's aggregators added to the cells, and responses whose sums they worked
 * out and then dropped because someone else had counted them meanwhile (work thrown away: 0 while
 * the aggregator's turn works).
 */
export const aggregatorTally = () => ({ ...tally });

/** Adds up to `limit` queued responses to the cells; returns how many it took. */
export async function aggregateQueued(db: Db, limit = 1000): Promise<number> {
	// another server (or a recompute) has the turn: it adds what is queued
	return (await inAggregatorTurn(db, false, () => addQueued(db, limit))) ?? 0;
}

async function addQueued(db: Db, limit: number): Promise<number> {
	// The sums are worked out before the transaction, so that it holds its locks (and, on the
	// embedded database, the one connection) only to take the queue rows and write the cells.
	// Whoever marks a queue row as aggregated adds that response. In the aggregator's turn nobody
	// else does; should someone have (the turn lost with its connection), the sums are worked out
	// again for the rows this one got, and the dropped work is counted.
	const { rows: seen } = await sql<{ response_id: string }>`
		select response_id from analytics_queue where not aggregated limit ${limit}`.execute(db);
	if (!seen.length) return 0;
	const ids = seen.map((s) => s.response_id);
	const rowsOf = (trx: Db, of: string[]) =>
		responses(trx)
			.where(sql<boolean>`r.id = any(${of}::uuid[])`)
			.execute();
	const early = flatten(await sumsOf(db, await rowsOf(db, ids), new Map(), true));
	const added = await inTransaction(db, async (trx) => {
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
	tally = { added: tally.added + added, discarded: tally.discarded + ids.length - added };
	if (added < ids.length)
		log.warn('analytics: sums worked out for responses another aggregator had counted', {
			responses: ids.length - added
		});
	return added;
}

export type Verification = {
	cells: number;
	/** responses the cells hold */
	responses: number;
	differences: string[];
	/** responses waiting for the aggregator (not in the cells, nor in the check) */
	queued: number;
};

/**
 * Responses read at a time when a wave is recomputed, verified or snapshotted: with their answers,
 * about 40,000 rows in memory at once (pages of 5,000 made verify's peak RSS 300 MB larger).
 */
export const PAGE = 1000;

/**
 * A wave's responses, a page at a time in id order: each page starts after the last id of the one
 * before, so the work is sized by the rows there are, whatever the table's size on disk. `held`
 * says which: those the working sums hold (none waiting in the queue), or those the published
 * snapshot holds (none in the queue at all). Read in one REPEATABLE READ transaction, every page
 * belongs to the same moment; a plain query per page works on PGlite and through pgbouncer in
 * transaction mode alike.
 */
export async function* responsePages<R extends { id: string }>(
	trx: Db,
	waveId: number,
	held: 'sums' | 'snapshot',
	page: (query: ReturnType<typeof responses>) => Promise<R[]>,
	size = PAGE
): AsyncGenerator<R[]> {
	const queued =
		held === 'sums'
			? sql<boolean>`exists (select from analytics_queue q
					where q.response_id = r.id and not q.aggregated)`
			: sql<boolean>`exists (select from analytics_queue q where q.response_id = r.id)`;
	for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
		const rows = await page(
			responses(trx)
				.where('r.wave_id', '=', waveId)
				.where('r.id', '>', after)
				.where(sql<boolean>`not ${queued}`)
				.orderBy('r.id')
				.limit(size)
		);
		if (rows.length) yield rows;
		if (rows.length < size) return;
		after = rows.at(-1)!.id;
	}
}

/**
 * The sums of the wave's responses the working sums hold, from their raw answers, with how many
 * responses they are: only the sums are kept, so memory grows with the cells, not the responses.
 */
async function sumsFromRaw(
	trx: Db,
	waveId: number,
	size = PAGE
): Promise<{ sums: Map<Key, Sums>; responses: number }> {
	const expected: GroupSums = new Map();
	let count = 0;
	for await (const page of responsePages(trx, waveId, 'sums', (q) => q.execute(), size)) {
		await sumsOf(trx, page, expected);
		count += page.length;
	}
	return { sums: flatten(expected), responses: count };
}

/**
 * Rebuilds a wave's cells from its raw answers (after a change of design weights, or to repair
 * them), in one REPEATABLE READ transaction taken in the aggregator's turn: no batch runs on any
 * server meanwhile, and the wave's queued responses are taken here and counted like the rest.
 * Should the snapshot still change under it (a snapshot marking the old one stale, or the turn
 * lost with its connection), the transaction fails to serialize and starts again.
 */
export async function recomputeWave(
	db: Db,
	waveId: number,
	options: { pageSize?: number } = {}
): Promise<{ cells: number; responses: number }> {
	const rebuilt = await inAggregatorTurn(db, true, async () => {
		for (let attempt = 1; ; attempt++) {
			try {
				return await db
					.transaction()
					.setIsolationLevel('repeatable read')
					.execute(async (trx) => {
						// a submission committed after this snapshot stays queued for the aggregator
						await sql`update analytics_queue q set aggregated = true from survey_response r
							where r.id = q.response_id and r.wave_id = ${waveId} and not q.aggregated`.execute(trx);
						const raw = await sumsFromRaw(trx, waveId, options.pageSize);
						await trx.deleteFrom('analytics_cell').where('wave_id', '=', waveId).execute();
						await store(trx, raw.sums);
						// the published snapshot still has the old weights: the next one takes the new
						await trx
							.updateTable('analytics_snapshot')
							.set({ stale: true })
							.where('wave_id', '=', waveId)
							.execute();
						return { cells: raw.sums.size, responses: raw.responses };
					});
			} catch (e) {
				if ((e as { code?: string }).code !== '40001' || attempt >= 5) throw e;
			}
		}
	});
	return rebuilt!;
}

/**
 * Recomputes a wave's cells from the raw answers of the responses they hold and lists every cell
 * that differs. Cells and responses are read in one REPEATABLE READ transaction, so the check is
 * exact while aggregators keep adding: what they have not added yet is left out of both.
 */
export async function verifyWave(
	db: Db,
	waveId: number,
	options: { pageSize?: number } = {}
): Promise<Verification> {
	return db
		.transaction()
		.setIsolationLevel('repeatable read')
		.setAccessMode('read only')
		.execute((trx) => verifyIn(trx, waveId, options.pageSize));
}

async function verifyIn(trx: Db, waveId: number, pageSize?: number): Promise<Verification> {
	const { sums: expected, responses: counted } = await sumsFromRaw(trx, waveId, pageSize);
	const stored = await trx
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
	const { queued } = await trx
		.selectFrom('analytics_queue as q')
		.innerJoin('survey_response as r', 'r.id', 'q.response_id')
		.select((eb) => eb.fn.countAll<number>().as('queued'))
		.where('r.wave_id', '=', waveId)
		.where('q.aggregated', '=', false)
		.executeTakeFirstOrThrow();
	return { cells: expected.size, responses: counted, differences, queued: Number(queued) };
}
