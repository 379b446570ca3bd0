/**
 * Where everything of a horizontal bar chart goes, in SVG user units: pure arithmetic from the
 * data, so the chart is drawn on the server with no script and is tested without a browser.
 *
 * Each category takes a band: its label (wrapped to the chart's width) on its own lines, then one
 * bar per series, with the value written in a column on the right. A bar starts at zero, so a
 * negative value goes left of it; an interval (low, high) is drawn as a whisker over its bar.
 * The axis runs from the smaller of 0 and the lowest value to `max` (or a round number above the
 * highest value or interval end).
 */
export type BarSeries = {
	label: string;
	values: (number | null)[];
	low?: (number | null)[];
	high?: (number | null)[];
};

export type Bar = {
	series: number;
	x: number;
	y: number;
	width: number;
	whisker: { x1: number; x2: number } | null;
	/** the value as written beside the bar ("—" when there is none) */
	text: string;
};
export type BarRow = { lines: { text: string; y: number }[]; bars: Bar[] };
export type BarLayout = {
	width: number;
	height: number;
	/** where the plot area runs, left to right, and the bottom of the last bar */
	left: number;
	right: number;
	top: number;
	bottom: number;
	zero: number;
	/** the column the values are written in (their right edge) */
	valueX: number;
	rows: BarRow[];
	ticks: { x: number; text: string }[];
	legend: { series: number; label: string; y: number }[];
};

export const CHART = {
	width: 320,
	font: 12.5,
	line: 16,
	bar: 12,
	gap: 4,
	band: 10,
	/** an average character's width at `font`, generous for Vietnamese diacritics */
	char: 6.6
} as const;

/** The series' colours: each 3:1 or more against the white page (WCAG 1.4.11). */
export const BAR_COLOURS = ['#1d4ed8', '#b45309', '#047857'] as const;

/** Splits a text into lines of at most `max` characters, at spaces where it can. */
export function wrapText(text: string, max: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.trim().split(/\s+/)) {
		if (!word) continue;
		if (line && line.length + 1 + word.length > max) {
			lines.push(line);
			line = '';
		}
		let rest = line ? `${line} ${word}` : word;
		while (rest.length > max) {
			lines.push(rest.slice(0, max));
			rest = rest.slice(max);
		}
		line = rest;
	}
	if (line) lines.push(line);
	return lines.length ? lines : [''];
}

/** A round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or above `value`. */
export function niceCeiling(value: number): number {
	if (!(value > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(value));
	const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find(
		(s) => s * power >= value * (1 - 1e-12)
	)!;
	return step * power;
}

const finite = (v: number | null | undefined): v is number =>
	typeof v === 'number' && Number.isFinite(v);

export function barLayout(
	labels: readonly string[],
	series: readonly BarSeries[],
	format: (value: number) => string,
	options: { max?: number } = {}
): BarLayout {
	const all = series.flatMap((s) => [...s.values, ...(s.low ?? []), ...(s.high ?? [])]);
	const numbers = all.filter(finite);
	const highest = Math.max(0, ...numbers);
	const lowest = Math.min(0, ...numbers);
	const max = options.max ?? niceCeiling(highest);
	const min = lowest < 0 ? -niceCeiling(-lowest) : 0;
	const texts = series.map((s) => s.values.map((v) => (finite(v) ? format(v) : '—')));
	const longest = Math.max(1, ...texts.flat().map((t) => t.length));
	const valueWidth = Math.ceil(longest * CHART.char) + 6;
	const left = 2;
	const valueX = CHART.width - 2;
	const right = valueX - valueWidth;
	// a tenth of a unit is finer than any screen shows, and keeps the markup short
	const scale = (v: number) =>
		Math.round((left + ((v - min) / (max - min || 1)) * (right - left)) * 10) / 10;
	const zero = scale(0);
	const clamp = (v: number) => Math.min(right, Math.max(left, scale(v)));
	const perLine = Math.floor((CHART.width - 4) / CHART.char);

	let y = 0;
	const legend =
		series.length > 1
			? series.map((s, i) => {
					y += CHART.line;
					return { series: i, label: s.label, y: y - 4 };
				})
			: [];
	if (legend.length) y += CHART.gap;
	const top = y;
	const rows = labels.map((label, i): BarRow => {
		const lines = wrapText(label, perLine).map((text) => {
			y += CHART.line;
			return { text, y: y - 4 };
		});
		y += 2;
		const bars = series.map((s, j): Bar => {
			const v = s.values[i];
			const low = s.low?.[i];
			const high = s.high?.[i];
			const bar: Bar = {
				series: j,
				x: finite(v) ? Math.min(zero, clamp(v)) : zero,
				y,
				width: finite(v) ? Math.abs(clamp(v) - zero) : 0,
				whisker:
					finite(v) && finite(low) && finite(high) ? { x1: clamp(low), x2: clamp(high) } : null,
				text: texts[j]![i]!
			};
			y += CHART.bar + CHART.gap;
			return bar;
		});
		y += CHART.band - CHART.gap;
		return { lines, bars };
	});
	const bottom = y;
	const ticks = [min, ...(min < 0 ? [0] : []), (min + max) / 2, max]
		.filter((v, i, a) => a.indexOf(v) === i)
		.map((v) => ({ x: scale(v), text: format(v) }));
	return {
		width: CHART.width,
		height: bottom + CHART.line + 4,
		left,
		right,
		top,
		bottom,
		zero,
		valueX,
		rows,
		ticks,
		legend
	};
}
