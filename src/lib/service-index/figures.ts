import { DEFAULT_K, suppressCells } from '$lib/analytics/suppression';
import { monthOf } from '$lib/dossiers/lateness';
import { addDays, vietnamDate, type IsoDate } from '$lib/deadlines/working-days';
import type { Turn } from '$lib/questions/stats';

/**
 * The monthly figures of Decision 766/QĐ-TTg (23 June 2022) for each agency and the province,
 * built from counts (src/lib/server/service-index/counts.ts). Pure.
 *
 * A figure is a named share (or mean) with its numerator and denominator, so the page can show
 * both and the formula beside it. Figures computed from citizens' ratings are opinions: they are
 * hidden where fewer than k ratings stand behind them, and one more agency (or the province) is
 * hidden when the province less the shown agencies would give a hidden one away. They are
 * published once, when the month is over: shown while the month is in progress, two readings an
 * hour apart would differ by the one rating made between them. The administrative figures
 * (dossiers, the Q&A's own ratios) describe the agencies' work, not people, and are always shown.
 */

/** What an agency (or the province, as their sum) did in a month, counted. */
export type MonthCounts = {
	/** dossiers whose outcome belongs to the month (the lateness rule's decided month) */
	decided: number;
	decidedOnTime: number;
	/** dossiers received in the month, and of them online */
	received: number;
	receivedOnline: number;
	/** dossier ratings made in the month; not unsatisfied (overall ≥ 3); minutes waited; 1 visit */
	ratings: number;
	ratingsSatisfied: number;
	waitingMinutes: number;
	oneVisit: number;
	/** the Q&A's turns whose outcome became known in the month (Decision 766's feedback ratios) */
	qaJudged: number;
	qaOnTime: number;
	qaSatisfied: number;
	/** of the dossiers decided late in the month, those with an approved apology letter */
	lateWithLetter: number;
};

export const EMPTY_COUNTS: MonthCounts = {
	decided: 0,
	decidedOnTime: 0,
	received: 0,
	receivedOnline: 0,
	ratings: 0,
	ratingsSatisfied: 0,
	waitingMinutes: 0,
	oneVisit: 0,
	qaJudged: 0,
	qaOnTime: 0,
	qaSatisfied: 0,
	lateWithLetter: 0
};

export const addCounts = (a: MonthCounts, b: MonthCounts): MonthCounts =>
	Object.fromEntries(
		Object.keys(EMPTY_COUNTS).map((key) => {
			const k = key as keyof MonthCounts;
			return [k, a[k] + b[k]];
		})
	) as MonthCounts;

/** Seed 004 item 5.4: satisfaction measured on at least 15 % of each field's dossiers. */
export const SAMPLING_TARGET = 0.15;
/** Seed 001, Appendix 02 item 5.3: at most 25 minutes' wait a visit. */
export const WAITING_TARGET_MINUTES = 25;

export type FigureKey =
	| 'on_time'
	| 'online'
	| 'satisfaction'
	| 'waiting'
	| 'one_visit'
	| 'qa_on_time'
	| 'qa_satisfaction'
	| 'late_letters';

export type FigureDef = {
	key: FigureKey;
	/** a share (numerator / denominator), or a mean (a total over a count) */
	kind: 'share' | 'mean';
	/** made from citizens' ratings: suppressed below k */
	fromRatings: boolean;
	/** numerator and denominator of the month's counts */
	parts: (c: MonthCounts) => [number, number];
};

/**
 * The published figures, in the page's order. To add one (e.g. the share of late dossiers with
 * an approved apology letter): a count in MonthCounts and its SQL, one entry here with its key,
 * and the key's name, formula and source in the messages (service_index_figure_<key>…).
 */
export const FIGURES: readonly FigureDef[] = [
	{ key: 'on_time', kind: 'share', fromRatings: false, parts: (c) => [c.decidedOnTime, c.decided] },
	{
		key: 'online',
		kind: 'share',
		fromRatings: false,
		parts: (c) => [c.receivedOnline, c.received]
	},
	{
		key: 'satisfaction',
		kind: 'share',
		fromRatings: true,
		parts: (c) => [c.ratingsSatisfied, c.ratings]
	},
	{ key: 'waiting', kind: 'mean', fromRatings: true, parts: (c) => [c.waitingMinutes, c.ratings] },
	{ key: 'one_visit', kind: 'share', fromRatings: true, parts: (c) => [c.oneVisit, c.ratings] },
	{ key: 'qa_on_time', kind: 'share', fromRatings: false, parts: (c) => [c.qaOnTime, c.qaJudged] },
	{
		key: 'qa_satisfaction',
		kind: 'share',
		fromRatings: false,
		parts: (c) => [c.qaSatisfied, c.qaJudged]
	},
	{
		key: 'late_letters',
		kind: 'share',
		fromRatings: false,
		parts: (c) => [c.lateWithLetter, c.decided - c.decidedOnTime]
	}
];

/** A published figure; a hidden or pending one carries no numbers at all. */
export type Figure = {
	key: FigureKey;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	/** suppressed: fewer than k ratings behind it, or it would give a suppressed one away */
	hidden: boolean;
	/** made from ratings of a month still in progress: published when the month is over */
	pending?: boolean;
};

export type Row = {
	/** null for the province */
	agencyId: number | null;
	nameVi: string;
	nameEn: string | null;
	figures: Figure[];
};

export type SamplingRow = {
	agencyId: number;
	nameVi: string;
	nameEn: string | null;
	field: string;
	received: number;
	/** dossier ratings and counter-kiosk responses for the field in the month */
	sampled: number;
	rate: number | null;
	below: boolean;
};

/** What is published for a month (and frozen once the month is over). */
export type MonthReport = {
	/** YYYY-MM */
	month: string;
	k: number;
	agencies: Row[];
	province: Row;
	sampling: SamplingRow[];
};

export type AgencyCounts = {
	agencyId: number;
	nameVi: string;
	nameEn: string | null;
	counts: MonthCounts;
};

export type FieldCounts = {
	agencyId: number;
	field: string;
	received: number;
	sampled: number;
};

function figure(def: FigureDef, c: MonthCounts, hidden: boolean, pending: boolean): Figure {
	if (pending)
		return { key: def.key, numerator: null, denominator: null, value: null, hidden, pending };
	if (hidden) return { key: def.key, numerator: null, denominator: null, value: null, hidden };
	const [numerator, denominator] = def.parts(c);
	return {
		key: def.key,
		numerator,
		denominator,
		value: denominator > 0 ? numerator / denominator : null,
		hidden
	};
}

const PROVINCE = 'province';
const cellOf = (agencyId: number) => `agency:${agencyId}`;

/**
 * The month's report: every agency with something to count, the province, the sampling. For a
 * month in progress (`provisional`), the figures made from ratings are pending.
 */
export function buildReport(
	month: string,
	agencies: readonly AgencyCounts[],
	fields: readonly FieldCounts[],
	k = DEFAULT_K,
	provisional = false
): MonthReport {
	const total = agencies.reduce((sum, a) => addCounts(sum, a.counts), EMPTY_COUNTS);
	const ratings = new Map<string, number>([
		[PROVINCE, total.ratings],
		...agencies.map((a) => [cellOf(a.agencyId), a.counts.ratings] as [string, number])
	]);
	const { hidden } = suppressCells(
		ratings,
		[{ parent: PROVINCE, children: agencies.map((a) => cellOf(a.agencyId)) }],
		k
	);
	const row = (cell: string, base: Omit<Row, 'figures'>, c: MonthCounts): Row => ({
		...base,
		figures: FIGURES.map((def) =>
			figure(def, c, def.fromRatings && hidden.has(cell), def.fromRatings && provisional)
		)
	});
	const names = new Map(agencies.map((a) => [a.agencyId, a]));
	return {
		month,
		k,
		agencies: [...agencies]
			.sort((a, b) => a.nameVi.localeCompare(b.nameVi, 'vi'))
			.map((a) =>
				row(
					cellOf(a.agencyId),
					{ agencyId: a.agencyId, nameVi: a.nameVi, nameEn: a.nameEn },
					a.counts
				)
			),
		province: row(PROVINCE, { agencyId: null, nameVi: '', nameEn: null }, total),
		sampling: fields
			.filter((f) => names.has(f.agencyId) && (f.received > 0 || f.sampled > 0))
			.map((f) => {
				const a = names.get(f.agencyId)!;
				const rate = f.received > 0 ? f.sampled / f.received : null;
				return {
					...f,
					nameVi: a.nameVi,
					nameEn: a.nameEn,
					rate,
					below: rate !== null && rate < SAMPLING_TARGET
				};
			})
			.sort(
				(x, y) => x.nameVi.localeCompare(y.nameVi, 'vi') || x.field.localeCompare(y.field, 'vi')
			)
	};
}

/**
 * The month a Q&A turn's outcome became known, as the lateness rule does for dossiers: answered
 * on time, the month of the answer; late (answered late, or still open past its due date), the
 * month it became late. Transferred turns and open ones not yet due have none.
 */
export function turnMonth(t: Turn, today: IsoDate): IsoDate | null {
	const lateMonth = t.dueOn ? monthOf(addDays(t.dueOn, 1)) : null;
	if (t.state === 'answered' && t.answeredAt) {
		if (t.onTime === true || !lateMonth) return monthOf(vietnamDate(t.answeredAt));
		return lateMonth;
	}
	if (t.state === 'active' && t.dueOn && today > t.dueOn) return lateMonth;
	return null;
}

// ---- months (YYYY-MM), in Việt Nam time ----

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (text: string): boolean => MONTH.test(text);

/** The month in progress in Việt Nam. */
export const currentMonth = (now: Date): string => vietnamDate(now).slice(0, 7);

/** The first day of a month, and of the month after it. */
export const firstDay = (month: string): IsoDate => `${month}-01`;

export function addMonths(month: string, n: number): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	const index = y * 12 + (m - 1) + n;
	return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to`, newest first (at most `max`). */
export function monthsBetween(from: string, to: string, max = 60): string[] {
	const out: string[] = [];
	for (let m = to; m >= from && out.length < max; m = addMonths(m, -1)) out.push(m);
	return out;
}
