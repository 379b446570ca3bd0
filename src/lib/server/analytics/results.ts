import {
	answeredMeasure,
	bandQuestions,
	hiddenFor,
	optionMeasure,
	RESPONDENTS,
	type Group,
	type Shown
} from '$lib/analytics/cells';
import { finish, type Estimate } from '$lib/analytics/estimates';
import { groupOf, parseFilter, type Filter } from '$lib/analytics/filters';
import { resultOrder } from '$lib/analytics/order';
import {
	reasonOf,
	shownFromRows,
	type MeasureRows,
	type ResultRow
} from '$lib/analytics/published';
import { measuresOf, type Measure } from '$lib/analytics/scoring';
import { DEFAULT_K } from '$lib/analytics/suppression';
import { sql } from 'kysely';
import type { InstrumentSpec, Question, Text } from '$lib/surveys/spec';
import { findQuestion } from '$lib/surveys/edit';
import { tr } from '$lib/surveys/localize';
import type { Db } from '../db';
import { specOfVersion } from '../surveys/instruments';

/**
 * A wave's results as an analyst sees them, read from its published snapshot (analytics_result,
 * see snapshot.ts; never the live sums or raw answers): for the group the filters select (the
 * wave, a commune, a band value, or both), every measure; the headline measure by commune and by
 * band value within that group; and, on the drill-down, each question's answer distribution.
 * What is hidden, and why, was decided once for the whole wave when the snapshot was taken. A
 * hidden number never leaves the server: its estimate is not even computed.
 */

export type { Shown };
export type GroupRow = Shown & { key: string; label: Text; filter: Filter };
export type Breakdown = { by: 'unit' | 'band' | 'counter'; title: Text | null; rows: GroupRow[] };
export type Choice = { key: string; label: Text };
export type Choices = {
	units: Choice[];
	/** the one-stop shop counters whose kiosks took responses (issue 22) */
	counters: Choice[];
	bands: { question: string; title: Text; options: Choice[] }[];
};

/** The snapshot the numbers come from: when, over how many responses, which variance. */
export type SnapshotInfo = {
	takenAt: Date;
	responses: number;
	variance: 'individual' | 'designed';
};

/** What every view of a wave needs: its measures, group sizes, hidden groups and labels. */
export type WaveContext = {
	k: number;
	snapshot: SnapshotInfo | null;
	spec: InstrumentSpec;
	measures: Measure[];
	headline: Measure | undefined;
	size: (g: Group) => number;
	hidden: (g: Group) => boolean;
	choices: Choices;
	filterOf: (params: URLSearchParams) => Filter;
};

export async function waveContext(
	db: Db,
	wave: { id: number; versionId: number }
): Promise<WaveContext> {
	const spec = await specOfVersion(db, wave.versionId);
	const measures = measuresOf(spec);
	// every group's size and whether it is hidden, with the commune's name: one indexed read
	const [counts, snapshot] = await Promise.all([
		db
			.selectFrom('analytics_result as c')
			.leftJoin('admin_unit as u', (j) =>
				// case, not and: PostgreSQL may cast before it tests, and only commune cells are ids
				j.on(sql`case when c.grouping = 'unit' then c.cell::int end`, '=', sql.ref('u.id'))
			)
			.select(['c.grouping', 'c.cell', 'c.n', 'c.hidden', 'u.name'])
			.where('c.wave_id', '=', wave.id)
			.where('c.measure', '=', RESPONDENTS)
			.where('c.n', '>', 0)
			.execute(),
		db
			.selectFrom('analytics_snapshot')
			.select(['taken_at', 'responses', 'variance', 'k'])
			.where('wave_id', '=', wave.id)
			.executeTakeFirst()
	]);
	const groups = new Map(counts.map((c) => [`${c.grouping}\u001f${c.cell}`, c]));
	const counterIds = counts.filter((c) => c.grouping === 'counter').map((c) => Number(c.cell));
	const counters = counterIds.length
		? (
				await db
					.selectFrom('counter')
					.select(['id', 'name'])
					.where('id', 'in', counterIds)
					.execute()
			)
				.map((c) => ({ key: String(c.id), label: { vi: c.name, en: c.name } }))
				.sort((a, b) => a.label.vi.localeCompare(b.label.vi, 'vi'))
		: [];
	const units = counts
		.filter((c) => c.grouping === 'unit')
		.map((c) => ({ key: c.cell, label: { vi: c.name ?? c.cell, en: c.name ?? c.cell } }))
		.sort((a, b) => a.label.vi.localeCompare(b.label.vi, 'vi'));
	const bands = bandQuestions(spec).flatMap((code) => {
		const q = findQuestion(spec, code);
		return q && 'options' in q
			? [{ question: code, title: q.text, options: q.options.map(choice) }]
			: [];
	});
	const known = {
		units: new Set(units.map((u) => u.key)),
		counters: new Set(counters.map((c) => c.key)),
		bands: new Map(bands.map((b) => [b.question, new Set(b.options.map((o) => o.key))]))
	};
	const group = (g: Group) => groups.get(`${g.grouping}\u001f${g.cell}`);
	return {
		k: snapshot?.k ?? DEFAULT_K,
		snapshot: snapshot
			? {
					takenAt: new Date(snapshot.taken_at),
					responses: snapshot.responses,
					variance: snapshot.variance
				}
			: null,
		spec,
		measures,
		headline: measures[0],
		size: (g) => group(g)?.n ?? 0,
		hidden: (g) => !!group(g)?.hidden,
		choices: { units, counters, bands },
		filterOf: (params) => parseFilter(params, known)
	};
}

/**
 * Fieldwork progress while a wave's results wait for its close: responses per commune, live
 * from the working sums (a count, never an answer), with the commune's name.
 */
export async function progressByUnit(
	db: Db,
	waveId: number
): Promise<{ key: string; label: Text; responses: number }[]> {
	const rows = await db
		.selectFrom('analytics_cell as c')
		.innerJoin('admin_unit as u', (j) =>
			j.on(sql`case when c.grouping = 'unit' then c.cell::int end`, '=', sql.ref('u.id'))
		)
		.select(['c.cell', 'c.n', 'u.name'])
		.where('c.wave_id', '=', waveId)
		.where('c.measure', '=', RESPONDENTS)
		.where('c.grouping', '=', 'unit')
		.execute();
	return rows
		.map((r) => ({ key: r.cell, label: { vi: r.name, en: r.name }, responses: r.n }))
		.sort((a, b) => a.label.vi.localeCompare(b.label.vi, 'vi'));
}

const choice = (o: { code: string; label: Text }): Choice => ({ key: o.code, label: o.label });

const RESULT_COLUMNS = ['measure', 'n', 'w', 'wy', 'w2', 'se', 'se_design', 'hidden'] as const;

/** One group's published rows, by measure. */
export async function groupRows(db: Db, waveId: number, g: Group): Promise<Map<string, ResultRow>> {
	const rows = await db
		.selectFrom('analytics_result')
		.select(RESULT_COLUMNS)
		.where('wave_id', '=', waveId)
		.where('grouping', '=', g.grouping)
		.where('cell', '=', g.cell)
		.execute();
	return new Map(rows.map((r) => [r.measure, r]));
}

/** One measure in one group, or why it is not shown. */
export function shown(ctx: WaveContext, g: Group, measure: Measure, rows: MeasureRows): Shown {
	if (ctx.hidden(g)) return hiddenFor(reasonOf(rows.get(RESPONDENTS)?.hidden ?? 'small'));
	return shownFromRows(measure, rows);
}

/** The headline measure for each group of one grouping, reading only the cells it needs. */
async function breakdown(
	db: Db,
	waveId: number,
	ctx: WaveContext,
	rows: { key: string; label: Text; filter: Filter }[]
): Promise<GroupRow[]> {
	const headline = ctx.headline;
	if (!headline || !rows.length) return [];
	const groups = rows.map((r) => groupOf(r.filter));
	const wanted = groups.filter((g) => !ctx.hidden(g)).map((g) => g.cell);
	const cells = wanted.length
		? await db
				.selectFrom('analytics_result')
				.select([...RESULT_COLUMNS, 'cell'])
				.where('wave_id', '=', waveId)
				.where('grouping', '=', groups[0]!.grouping)
				.where('cell', 'in', wanted)
				.where('measure', 'in', [headline.code, ...headline.terms.map((t) => t.item)])
				.execute()
		: [];
	const byCell = new Map<string, Map<string, ResultRow>>();
	for (const c of cells) {
		let sums = byCell.get(c.cell);
		if (!sums) byCell.set(c.cell, (sums = new Map()));
		sums.set(c.measure, c);
	}
	return rows.map((r, i) => ({
		...r,
		...shown(ctx, groups[i]!, headline, byCell.get(groups[i]!.cell) ?? new Map())
	}));
}

export type WaveResults = {
	k: number;
	snapshot: SnapshotInfo | null;
	filter: Filter;
	choices: Choices;
	/** respondents in the selected group, or null when the group is hidden */
	respondents: number | null;
	/** the total, then each dimension followed by its sub-dimensions, numbered ("2", "2.2") */
	measures: (Shown & { measure: Measure; number: string })[];
	breakdowns: Breakdown[];
};

export async function waveResults(
	db: Db,
	wave: { id: number; versionId: number },
	params: URLSearchParams = new URLSearchParams(),
	context?: WaveContext
): Promise<WaveResults> {
	const ctx = context ?? (await waveContext(db, wave));
	const filter = ctx.filterOf(params);
	const group = groupOf(filter);
	// each breakdown is its own indexed read; they run side by side on the pool
	const asked: Promise<Breakdown>[] = [];
	const whole = filter.unit === null && !filter.band && !filter.counter;
	if (whole && ctx.choices.counters.length)
		asked.push(
			breakdown(
				db,
				wave.id,
				ctx,
				ctx.choices.counters.map((c) => ({
					...c,
					filter: { unit: null, band: null, counter: c.key }
				}))
			).then((rows) => ({ by: 'counter', title: null, rows }))
		);
	// a counter is a filter of its own: no commune or band within it is kept
	if (!filter.counter && filter.unit === null && ctx.choices.units.length)
		asked.push(
			breakdown(
				db,
				wave.id,
				ctx,
				ctx.choices.units.map((u) => ({ ...u, filter: { unit: u.key, band: filter.band } }))
			).then((rows) => ({ by: 'unit', title: null, rows }))
		);
	if (!filter.band && !filter.counter)
		for (const band of ctx.choices.bands)
			asked.push(
				breakdown(
					db,
					wave.id,
					ctx,
					band.options.map((o) => ({
						...o,
						filter: { unit: filter.unit, band: { question: band.question, option: o.key } }
					}))
				).then((rows) => ({ by: 'band', title: band.title, rows }))
			);
	const [sums, breakdowns] = await Promise.all([
		ctx.hidden(group) ? new Map<string, ResultRow>() : groupRows(db, wave.id, group),
		Promise.all(asked)
	]);
	return {
		k: ctx.k,
		snapshot: ctx.snapshot,
		filter,
		choices: ctx.choices,
		respondents: ctx.hidden(group) ? null : ctx.size(group),
		measures: resultOrder(ctx.spec, ctx.measures).map((row) => ({
			...row,
			...shown(ctx, group, row.measure, sums)
		})),
		breakdowns
	};
}

export type QuestionDistribution = {
	code: string;
	text: Text;
	/** the question's indicator (its score or share), when it has one */
	indicator: (Shown & { measure: Measure }) | null;
	answered: number | null;
	suppressed: boolean;
	options: { key: string; label: Text; share: Estimate | undefined }[];
};
export type WaveDistributions = {
	/** no distributions are kept for a band within a commune */
	combined: boolean;
	k: number;
	snapshot: SnapshotInfo | null;
	filter: Filter;
	choices: Choices;
	respondents: number | null;
	sections: { title: Text; questions: QuestionDistribution[] }[];
};

/** Each choice question's answer distribution in the selected group (drill-down). */
export async function waveDistributions(
	db: Db,
	wave: { id: number; versionId: number },
	params: URLSearchParams
): Promise<WaveDistributions> {
	const ctx = await waveContext(db, wave);
	const filter = ctx.filterOf(params);
	const group = groupOf(filter);
	const hidden = ctx.hidden(group);
	const sums = hidden ? new Map<string, ResultRow>() : await groupRows(db, wave.id, group);
	const indicators = new Map(
		ctx.measures.filter((m) => m.level === 'indicator').map((m) => [m.code, m])
	);
	const distribution = (q: Question & { options: { code: string; label: Text }[] }) => {
		const answered = sums.get(answeredMeasure(q.code));
		const suppressed = hidden || !!answered?.hidden;
		const indicator = indicators.get(q.code);
		return {
			code: q.code,
			text: q.text,
			indicator: indicator ? { measure: indicator, ...shown(ctx, group, indicator, sums) } : null,
			answered: suppressed ? null : (answered?.n ?? 0),
			suppressed,
			options: q.options.map((o) => ({
				...choice(o),
				share:
					suppressed || !answered
						? undefined
						: shareOf(sums.get(optionMeasure(q.code, o.code)), answered)
			}))
		};
	};
	const combined = filter.unit !== null && filter.band !== null;
	return {
		combined,
		k: ctx.k,
		snapshot: ctx.snapshot,
		filter,
		choices: ctx.choices,
		respondents: hidden ? null : ctx.size(group),
		sections: (combined ? [] : ctx.spec.sections)
			.map((s) => ({
				title: s.title,
				questions: s.parts.flatMap((p) =>
					p.questions.flatMap((q) => ('options' in q ? [distribution(q)] : []))
				)
			}))
			.filter((s) => s.questions.length)
	};
}

/** The weighted share choosing an option, with a Wilson interval on the effective sample size. */
function shareOf(chose: ResultRow | undefined, answered: ResultRow): Estimate {
	const p = chose && answered.w > 0 ? chose.w / answered.w : 0;
	const nEffective = answered.w2 > 0 ? (answered.w * answered.w) / answered.w2 : 0;
	return finish({ n: answered.n, nEffective, value: p, se: NaN, share: true, range: 1 });
}

/** How a filter reads ("Xã Vị Xuyên · Nữ"), or null for no filter. */
export function filterLabel(choices: Choices, f: Filter): string | null {
	const parts: string[] = [];
	if (f.counter) {
		const counter = choices.counters.find((c) => c.key === f.counter);
		if (counter) parts.push(tr(counter.label));
	}
	if (f.unit !== null) {
		const unit = choices.units.find((u) => u.key === f.unit);
		if (unit) parts.push(tr(unit.label));
	}
	if (f.band) {
		const option = choices.bands
			.find((b) => b.question === f.band!.question)
			?.options.find((o) => o.key === f.band!.option);
		if (option) parts.push(tr(option.label));
	}
	return parts.length ? parts.join(' · ') : null;
}
