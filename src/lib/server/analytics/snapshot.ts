import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import {
	bandsOf,
	groupsOf,
	RESPONDENTS,
	type Group,
	type GroupSums,
	type Sums
} from '$lib/analytics/cells';
import { cellKey, decideDisclosure, type CellKey, type Snapshot } from '$lib/analytics/disclosure';
import { reasonOf } from '$lib/analytics/published';
import { estimate, type Respondent } from '$lib/analytics/estimates';
import { measuresOf, respondentsOf } from '$lib/analytics/scoring';
import { DEFAULT_K } from '$lib/analytics/suppression';
import { varianceCollector, type Spread } from '$lib/analytics/variance';
import type { Db } from '../db';
import { specOfVersion } from '../surveys/instruments';
import { closedAnswerOptions } from '../surveys/submit';
import { responsePages } from './aggregate';

/**
 * What analysts read: a wave's snapshot (analytics_result), taken from the working sums
 * (analytics_cell) at one moment, never the live sums.
 *
 * A snapshot holds every group's and measure's n, Σw, Σwy and Σw², the standard error worked out
 * once from the raw answers of exactly the responses it covers (`variance.ts`: individual-level,
 * and over strata and PSUs for a wave with invitation codes), and which numbers are hidden and
 * why (`disclosure.ts`: fewer than k, differences over filters, measures and time).
 *
 * When: a live wave's snapshot advances only once at least k responses have arrived since the
 * last one, so one to k−1 new responses change nothing an analyst can read. A wave whose results
 * wait for its close gets its first snapshot when it closes and its queue is empty (nothing of
 * it was readable before). After the design weights change, the next snapshot takes them: at once
 * if no response waits, else with the next step. A response stays in analytics_queue (marked
 * aggregated once it is in the working sums) until a snapshot covers it; the microdata export
 * leaves out queued responses, so it too moves only with the snapshot.
 */

const SEP = '\u001f';
const groupKey = (g: Group) => `${g.grouping}${SEP}${g.cell}`;

export type WaveDue = {
	id: number;
	status: string;
	resultsMode: string;
	snapshot: boolean;
	stale: boolean;
	/** responses in the working sums */
	counted: number;
	/** counted, not yet in the snapshot */
	ready: number;
	/** queued, not yet counted */
	waiting: number;
};

/** Whether a wave needs a new snapshot now. */
export function snapshotDue(w: WaveDue, k: number): boolean {
	if (w.resultsMode === 'after_close' && w.status !== 'closed') return false; // nothing readable
	if (w.status === 'closed' && w.waiting > 0) return false; // the aggregator is still adding
	if (!w.snapshot) return w.counted >= k || (w.resultsMode === 'after_close' && w.counted > 0);
	if (w.ready >= k) return true;
	return w.stale && w.ready === 0;
}

async function wavesDue(db: Db, only?: number): Promise<WaveDue[]> {
	const { rows } = await sql<{
		id: number;
		status: string;
		results_mode: string;
		snapshot: boolean;
		stale: boolean | null;
		counted: number;
		ready: number;
		waiting: number;
	}>`
		select w.id, w.status, w.results_mode, s.wave_id is not null as snapshot, s.stale,
			coalesce((select c.n from analytics_cell c where c.wave_id = w.id and c.grouping = ''
				and c.cell = '' and c.measure = ${RESPONDENTS}), 0) as counted,
			coalesce(q.ready, 0)::int as ready, coalesce(q.waiting, 0)::int as waiting
		from survey_wave w
		left join analytics_snapshot s on s.wave_id = w.id
		left join (
			select r.wave_id, count(*) filter (where q.aggregated) as ready,
				count(*) filter (where not q.aggregated) as waiting
			from analytics_queue q join survey_response r on r.id = q.response_id
			group by r.wave_id) q on q.wave_id = w.id
		where w.status != 'draft' and (${only ?? null}::int is null or w.id = ${only ?? null}::int)
		order by w.id`.execute(db);
	return rows.map((r) => ({
		id: r.id,
		status: r.status,
		resultsMode: r.results_mode,
		snapshot: r.snapshot,
		stale: !!r.stale,
		counted: Number(r.counted),
		ready: Number(r.ready),
		waiting: Number(r.waiting)
	}));
}

/** Takes a snapshot of every wave that needs one (or of `only`); returns the waves taken. */
export async function refreshSnapshots(
	db: Db,
	options: {
		k?: number;
		only?: number;
		yielding?: boolean;
		skip?: (waveId: number) => boolean;
	} = {}
): Promise<number[]> {
	const k = options.k ?? DEFAULT_K;
	const taken: number[] = [];
	for (const wave of await wavesDue(db, options.only))
		if (snapshotDue(wave, k) && !options.skip?.(wave.id)) {
			await takeSnapshot(db, wave.id, { k, yielding: options.yielding });
			taken.push(wave.id);
		}
	return taken;
}

/**
 * Publishes a snapshot of the wave's working sums, with standard errors from the raw answers of
 * the responses they cover and the hidden numbers decided, in one REPEATABLE READ transaction
 * (the sums and the responses they cover are read at the same moment).
 */
export async function takeSnapshot(
	db: Db,
	waveId: number,
	options: { k?: number; yielding?: boolean } = {}
): Promise<{ responses: number; cells: number }> {
	const k = options.k ?? DEFAULT_K;
	// within the caller's transaction (the demo seed), as it is
	if (db.isTransaction) return snapshotIn(db, waveId, k, !!options.yielding);
	for (let attempt = 1; ; attempt++) {
		try {
			return await db
				.transaction()
				.setIsolationLevel('repeatable read')
				.execute((trx) => snapshotIn(trx, waveId, k, !!options.yielding));
		} catch (e) {
			// another server took this wave's snapshot meanwhile, or the aggregator wrote a cell
			if ((e as { code?: string }).code !== '40001' || attempt >= 5) throw e;
		}
	}
}

type Cell = { grouping: string; cell: string; measure: string } & Sums;

async function snapshotIn(trx: Db, waveId: number, k: number, yielding: boolean) {
	// one snapshot of a wave at a time, over all servers
	await sql`select pg_advisory_xact_lock(7316, ${waveId}::int)`.execute(trx);
	const wave = await trx
		.selectFrom('survey_wave')
		.select(['instrument_version_id', 'access_mode'])
		.where('id', '=', waveId)
		.executeTakeFirstOrThrow();
	const spec = await specOfVersion(trx, wave.instrument_version_id);
	const designed = wave.access_mode === 'invitation';
	const cells: Cell[] = await trx
		.selectFrom('analytics_cell')
		.selectAll()
		.where('wave_id', '=', waveId)
		.execute();
	const sums: GroupSums = new Map();
	for (const c of cells) {
		const key = `${c.grouping}${SEP}${c.cell}`;
		let measures = sums.get(key);
		if (!measures) sums.set(key, (measures = new Map()));
		measures.set(c.measure, c);
	}

	const collector = varianceCollector(spec, (key) => sums.get(key), groupKey, designed);
	for await (const page of responsePages(trx, waveId, 'sums', (q) =>
		q.select('r.closed_answers').execute()
	)) {
		for (const r of page)
			collector.add(
				{
					unitId: r.unit_id,
					counterId: r.counter_id,
					weight: Number(r.weight),
					answers: closedAnswerOptions(r.closed_answers)
				},
				// the commune is the primary sampling unit; a response without one is its own
				{ stratum: r.stratum, psu: r.unit_id === null ? `r${r.id}` : String(r.unit_id) }
			);
		if (yielding) await new Promise((resolve) => setImmediate(resolve));
	}
	const spread = collector.result((key, measure) => sums.get(key)?.get(measure)?.n ?? 0);

	// what a reader may have seen before: the published snapshot, and earlier ones it does not cover
	const [published, earlier, takenBefore] = await Promise.all([
		trx
			.selectFrom('analytics_result')
			.select(['grouping', 'cell', 'measure', 'n', 'hidden'])
			.where('wave_id', '=', waveId)
			.execute(),
		trx
			.selectFrom('analytics_history')
			.select(['taken_at', 'cells'])
			.where('wave_id', '=', waveId)
			.orderBy('taken_at')
			.execute(),
		trx
			.selectFrom('analytics_snapshot')
			.select('taken_at')
			.where('wave_id', '=', waveId)
			.executeTakeFirst()
	]);
	const history: { takenAt: Date; snapshot: Snapshot }[] = earlier.map((e) => ({
		takenAt: new Date(e.taken_at),
		snapshot: unpack(e.cells)
	}));
	if (takenBefore && published.length)
		history.push({ takenAt: new Date(takenBefore.taken_at), snapshot: snapshotOf(published) });
	const decision = decideDisclosure({
		k,
		counts: new Map(cells.map((c) => [cellKey(c, c.measure), c.n])),
		measures: measuresOf(spec),
		history: history.map((h) => h.snapshot)
	});

	const rows = cells.map((c) => {
		const s: Spread | undefined = spread.get(`${c.grouping}${SEP}${c.cell}`)?.get(c.measure);
		return {
			grouping: c.grouping,
			cell: c.cell,
			measure: c.measure,
			n: c.n,
			w: c.w,
			wy: c.wy,
			w2: c.w2,
			se: s && Number.isFinite(s.individual) ? Math.sqrt(s.individual) : null,
			se_design: s?.design != null && Number.isFinite(s.design) ? Math.sqrt(s.design) : null,
			hidden: decision.hidden.get(cellKey(c, c.measure)) ?? null
		};
	});

	// the earlier snapshots the next decision still needs are kept, packed
	const kept = new Set(decision.keep);
	await trx.deleteFrom('analytics_history').where('wave_id', '=', waveId).execute();
	for (const [i, h] of history.entries())
		if (kept.has(i))
			await trx
				.insertInto('analytics_history')
				.values({ wave_id: waveId, taken_at: h.takenAt, cells: pack(h.snapshot) })
				.execute();

	await trx.deleteFrom('analytics_result').where('wave_id', '=', waveId).execute();
	for (let at = 0; at < rows.length; at += 5000) {
		const chunk = rows.slice(at, at + 5000);
		const col = <T>(f: (r: (typeof rows)[number]) => T) => chunk.map(f);
		await sql`
			insert into analytics_result (wave_id, grouping, cell, measure, n, w, wy, w2, se, se_design,
				hidden)
			select ${waveId}::int, * from unnest(
				${col((r) => r.grouping)}::text[], ${col((r) => r.cell)}::text[],
				${col((r) => r.measure)}::text[], ${col((r) => r.n)}::int[], ${col((r) => r.w)}::float8[],
				${col((r) => r.wy)}::float8[], ${col((r) => r.w2)}::float8[],
				${col((r) => r.se)}::float8[], ${col((r) => r.se_design)}::float8[],
				${col((r) => r.hidden)}::text[])`.execute(trx);
	}
	const responsesCovered = sums.get(`${SEP}`)?.get(RESPONDENTS)?.n ?? 0;
	await sql`
		insert into analytics_snapshot (wave_id, responses, taken_at, variance, k, stale)
		values (${waveId}, ${responsesCovered}, now(), ${designed ? 'designed' : 'individual'}, ${k}, false)
		on conflict (wave_id) do update set responses = excluded.responses,
			taken_at = excluded.taken_at, variance = excluded.variance, k = excluded.k, stale = false`.execute(
		trx
	);
	// the responses it covers are published: they leave the queue
	await sql`delete from analytics_queue q using survey_response r
		where r.id = q.response_id and r.wave_id = ${waveId} and q.aggregated`.execute(trx);
	return { responses: responsesCovered, cells: rows.length };
}

export type SnapshotCheck = { checked: number; skipped: number; differences: string[] };

/**
 * Recomputes the published standard errors with `estimate()` on the raw answers of the responses
 * the snapshot covers, group by group, and lists every n or individual-level SE that differs by
 * more than 1e-9 (relative). Groups of more than `limit` respondents are skipped (each checked
 * group's answers sit in memory), and counted.
 */
export async function verifySnapshot(
	db: Db,
	waveId: number,
	limit = 50_000
): Promise<SnapshotCheck> {
	// the published cells and the responses they cover, read at the same moment
	return db
		.transaction()
		.setIsolationLevel('repeatable read')
		.setAccessMode('read only')
		.execute((trx) => verifySnapshotIn(trx, waveId, limit));
}

async function verifySnapshotIn(trx: Db, waveId: number, limit: number): Promise<SnapshotCheck> {
	const wave = await trx
		.selectFrom('survey_wave')
		.select('instrument_version_id')
		.where('id', '=', waveId)
		.executeTakeFirstOrThrow();
	const spec = await specOfVersion(trx, wave.instrument_version_id);
	const measures = measuresOf(spec);
	const stored = await trx
		.selectFrom('analytics_result')
		.select(['grouping', 'cell', 'measure', 'n', 'se'])
		.where('wave_id', '=', waveId)
		.where('n', '>', 0)
		.execute();
	const byGroup = new Map<string, Map<string, { n: number; se: number | null }>>();
	for (const r of stored) {
		const key = `${r.grouping}${SEP}${r.cell}`;
		let rows = byGroup.get(key);
		if (!rows) byGroup.set(key, (rows = new Map()));
		rows.set(r.measure, r);
	}
	const checked = new Set(
		[...byGroup].filter(([, rows]) => (rows.get(RESPONDENTS)?.n ?? 0) <= limit).map(([key]) => key)
	);
	const members = new Map<string, Respondent[]>([...checked].map((key) => [key, []]));
	const toRespondent = respondentsOf(spec);
	const bands = bandsOf(spec);
	for await (const page of responsePages(trx, waveId, 'snapshot', (q) =>
		q.select('r.closed_answers').execute()
	))
		for (const r of page) {
			const answers = closedAnswerOptions(r.closed_answers);
			const respondent = toRespondent({ weight: Number(r.weight), answers });
			for (const g of groupsOf(r.unit_id, bands(answers), r.counter_id))
				members.get(groupKey(g))?.push(respondent);
		}
	const differences: string[] = [];
	const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
	for (const [key, respondents] of members) {
		const rows = byGroup.get(key)!;
		for (const m of measures) {
			const want = estimate(respondents, m.terms, { range: m.range });
			const got = rows.get(m.code);
			const where = `${key.replace(SEP, ' ') || 'wave'} ${m.code}`;
			// nobody answered it, or one of its parts (then it is hidden as incomplete)
			if (!want) continue;
			if (!got || got.n !== want.n) {
				differences.push(`${where}: stored n=${got?.n ?? 0}, raw n=${want.n}`);
				continue;
			}
			const se = got.se ?? NaN;
			if (Number.isNaN(want.se) ? !Number.isNaN(se) : !close(se, want.se))
				differences.push(`${where}: stored SE=${se}, raw SE=${want.se}`);
		}
	}
	return { checked: checked.size, skipped: byGroup.size - checked.size, differences };
}

type PublishedCell = {
	grouping: string;
	cell: string;
	measure: string;
	n: number;
	hidden: string | null;
};

/** A published snapshot as the disclosure decision reads it. */
function snapshotOf(rows: readonly PublishedCell[]): Snapshot {
	const counts = new Map<CellKey, number>();
	const hidden = new Map<CellKey, ReturnType<typeof reasonOf>>();
	for (const r of rows) {
		const key = cellKey(r, r.measure);
		counts.set(key, r.n);
		if (r.hidden) hidden.set(key, reasonOf(r.hidden));
	}
	return { counts, hidden };
}

/** An earlier snapshot packed for analytics_history: [key, n, reason or 0] as gzip'd JSON. */
function pack(s: Snapshot): Buffer {
	return gzipSync(
		JSON.stringify([...s.counts].map(([key, n]) => [key, n, s.hidden.get(key) ?? 0]))
	);
}

function unpack(bytes: Uint8Array): Snapshot {
	const cells = JSON.parse(gunzipSync(bytes).toString('utf8')) as [CellKey, number, string | 0][];
	return {
		counts: new Map(cells.map(([key, n]) => [key, n])),
		hidden: new Map(cells.flatMap(([key, , why]) => (why ? [[key, reasonOf(why)] as const] : [])))
	};
}
