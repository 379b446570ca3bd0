import {
	answeredMeasure,
	bandQuestions,
	hiddenFor,
	optionMeasure,
	RESPONDENTS,
	shownFromSums,
	type Group,
	type Shown,
	type Sums
} from '$lib/analytics/cells';
import { finish, type Estimate } from '$lib/analytics/estimates';
import {
	groupOf,
	hiddenGroups,
	parseFilter,
	type Filter,
	type GroupCount
} from '$lib/analytics/filters';
import { resultOrder } from '$lib/analytics/order';
import { measuresOf, type Measure } from '$lib/analytics/scoring';
import { DEFAULT_K } from '$lib/analytics/suppression';
import { sql } from 'kysely';
import type { InstrumentSpec, Question, Text } from '$lib/surveys/spec';
import { findQuestion } from '$lib/surveys/edit';
import { tr } from '$lib/surveys/localize';
import type { Db } from '../db';
import { specOfVersion } from '../surveys/instruments';

/**
 * A wave's results as an analyst sees them, read from analytics_cell (never from raw answers):
 * for the group the filters select (the wave, a commune, a band value, or both), every measure;
 * the headline measure by commune and by band value within that group; and, on the drill-down,
 * each question's answer distribution. Hidden groups are decided for the whole wave at once
 * (`hiddenGroups`), and a measure answered by fewer than k in a shown group is hidden too, as is
 * a composite with a part that is not shown (`shownFromSums`). A hidden number never leaves the
 * server: its estimate is not even computed.
 */

export type { Shown };
export type GroupRow = Shown & { key: string; label: Text; filter: Filter };
export type Breakdown = { by: 'unit' | 'band'; title: Text | null; rows: GroupRow[] };
export type Choice = { key: string; label: Text };
export type Choices = {
	units: Choice[];
	bands: { question: string; title: Text; options: Choice[] }[];
};

/** What every view of a wave needs: its measures, group sizes, hidden groups and labels. */
export type WaveContext = {
	k: number;
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
	wave: { id: number; versionId: number },
	k = DEFAULT_K
): Promise<WaveContext> {
	const spec = await specOfVersion(db, wave.versionId);
	const measures = measuresOf(spec);
	// every group's size, with the commune's name for the commune groups: one indexed read
	const counts: (GroupCount & { name: string | null })[] = await db
		.selectFrom('analytics_cell as c')
		.leftJoin('admin_unit as u', (j) =>
			// case, not and: PostgreSQL may cast before it tests, and only commune cells are ids
			j.on(sql`case when c.grouping = 'unit' then c.cell::int end`, '=', sql.ref('u.id'))
		)
		.select(['c.grouping', 'c.cell', 'c.n', 'u.name'])
		.where('c.wave_id', '=', wave.id)
		.where('c.measure', '=', RESPONDENTS)
		.execute();
	let hidden: ((g: Group) => boolean) | undefined;
	const sizes = new Map(counts.map((c) => [`${c.grouping}\u001f${c.cell}`, c.n]));
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
		bands: new Map(bands.map((b) => [b.question, new Set(b.options.map((o) => o.key))]))
	};
	return {
		k,
		spec,
		measures,
		headline: measures[0],
		size: (g) => sizes.get(`${g.grouping}\u001f${g.cell}`) ?? 0,
		// decided on first use: the embargoed page reads only the sizes
		hidden: (g) => (hidden ??= hiddenGroups(counts, k))(g),
		choices: { units, bands },
		filterOf: (params) => parseFilter(params, known)
	};
}

const choice = (o: { code: string; label: Text }): Choice => ({ key: o.code, label: o.label });

type MeasureSums = Map<string, Sums>;

async function groupSums(db: Db, waveId: number, g: Group): Promise<MeasureSums> {
	const rows = await db
		.selectFrom('analytics_cell')
		.selectAll()
		.where('wave_id', '=', waveId)
		.where('grouping', '=', g.grouping)
		.where('cell', '=', g.cell)
		.execute();
	return new Map(rows.map((r) => [r.measure, r]));
}

/** One measure in one group, or why it is not shown. */
export function shown(ctx: WaveContext, g: Group, measure: Measure, sums: MeasureSums): Shown {
	if (ctx.hidden(g)) return hiddenFor('small');
	return shownFromSums(measure, sums, ctx.k);
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
				.selectFrom('analytics_cell')
				.selectAll()
				.where('wave_id', '=', waveId)
				.where('grouping', '=', groups[0]!.grouping)
				.where('cell', 'in', wanted)
				.where('measure', 'in', [headline.code, ...headline.terms.map((t) => t.item)])
				.execute()
		: [];
	const byCell = new Map<string, MeasureSums>();
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
	k = DEFAULT_K,
	context?: WaveContext
): Promise<WaveResults> {
	const ctx = context ?? (await waveContext(db, wave, k));
	const filter = ctx.filterOf(params);
	const group = groupOf(filter);
	// each breakdown is its own indexed read; they run side by side on the pool
	const asked: Promise<Breakdown>[] = [];
	if (filter.unit === null && ctx.choices.units.length)
		asked.push(
			breakdown(
				db,
				wave.id,
				ctx,
				ctx.choices.units.map((u) => ({ ...u, filter: { unit: u.key, band: filter.band } }))
			).then((rows) => ({ by: 'unit', title: null, rows }))
		);
	if (!filter.band)
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
		ctx.hidden(group) ? new Map<string, Sums>() : groupSums(db, wave.id, group),
		Promise.all(asked)
	]);
	return {
		k,
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
	filter: Filter;
	choices: Choices;
	respondents: number | null;
	sections: { title: Text; questions: QuestionDistribution[] }[];
};

/** Each choice question's answer distribution in the selected group (drill-down). */
export async function waveDistributions(
	db: Db,
	wave: { id: number; versionId: number },
	params: URLSearchParams,
	k = DEFAULT_K
): Promise<WaveDistributions> {
	const ctx = await waveContext(db, wave, k);
	const filter = ctx.filterOf(params);
	const group = groupOf(filter);
	const hidden = ctx.hidden(group);
	const sums = hidden ? new Map<string, Sums>() : await groupSums(db, wave.id, group);
	const indicators = new Map(
		ctx.measures.filter((m) => m.level === 'indicator').map((m) => [m.code, m])
	);
	const distribution = (q: Question & { options: { code: string; label: Text }[] }) => {
		const answered = sums.get(answeredMeasure(q.code));
		const suppressed = hidden || (answered !== undefined && answered.n < k);
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
		k,
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
function shareOf(chose: Sums | undefined, answered: Sums): Estimate {
	const p = chose && answered.w > 0 ? chose.w / answered.w : 0;
	const nEffective = answered.w2 > 0 ? (answered.w * answered.w) / answered.w2 : 0;
	return finish({ n: answered.n, nEffective, value: p, se: NaN, share: true, range: 1 });
}

/** How a filter reads ("Xã Vị Xuyên · Nữ"), or null for no filter. */
export function filterLabel(choices: Choices, f: Filter): string | null {
	const parts: string[] = [];
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
