import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import BarChart from '$lib/components/charts/BarChart.svelte';
import { BAR_COLOURS, barLayout, CHART, niceCeiling, wrapText } from '$lib/components/charts/bars';

const plain = (v: number) => String(v);

/** WCAG relative luminance and contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
	const luminance = (hex: string) => {
		const [r, g, bl] = [1, 3, 5].map((i) => {
			const c = parseInt(hex.slice(i, i + 2), 16) / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
	};
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi! + 0.05) / (lo! + 0.05);
}

describe('bar chart layout', () => {
	it('wraps a label at spaces within the width, and cuts a word longer than a line', () => {
		expect(wrapText('Thu ngân sách xã', 40)).toEqual(['Thu ngân sách xã']);
		expect(wrapText('Công khai, minh bạch trong hoạt động', 12)).toEqual([
			'Công khai,',
			'minh bạch',
			'trong hoạt',
			'động'
		]);
		expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
		expect(wrapText('  ', 4)).toEqual(['']);
	});

	it('rounds the axis up to a round number not far above the highest value', () => {
		expect(niceCeiling(12450)).toBe(15000);
		expect(niceCeiling(3200)).toBe(4000);
		expect(niceCeiling(0.87)).toBe(1);
		expect(niceCeiling(2.2)).toBe(2.5);
		expect(niceCeiling(5)).toBe(5);
		expect(niceCeiling(0)).toBe(1);
	});

	it('draws bars in proportion from zero, whiskers from low to high, within the plot', () => {
		const layout = barLayout(
			['Một', 'Hai', 'Ba'],
			[{ label: 'Giá trị', values: [5, 10, null], low: [4, 8, null], high: [6, 12, null] }],
			plain,
			{ max: 10 }
		);
		const [one, two, three] = layout.rows.map((r) => r.bars[0]!);
		const span = layout.right - layout.left;
		expect(one!.x).toBe(layout.left);
		expect(one!.width).toBeCloseTo(span / 2, 0);
		expect(two!.width).toBeCloseTo(span, 0);
		expect(one!.whisker!.x1).toBeCloseTo(layout.left + span * 0.4, 0);
		expect(one!.whisker!.x2).toBeCloseTo(layout.left + span * 0.6, 0);
		// an interval past the axis's end is cut at the end
		expect(two!.whisker!.x2).toBe(layout.right);
		expect(three!.width).toBe(0);
		expect(three!.text).toBe('—');
		expect(one!.text).toBe('5');
		// every bar below the one before, inside the picture
		const ys = layout.rows.flatMap((r) => r.bars.map((b) => b.y));
		expect(ys).toEqual([...ys].sort((a, b) => a - b));
		expect(Math.max(...ys) + CHART.bar).toBeLessThanOrEqual(layout.bottom);
		expect(layout.height).toBeGreaterThan(layout.bottom);
		expect(layout.ticks.map((t) => t.text)).toEqual(['0', '5', '10']);
		expect(layout.legend).toEqual([]);
	});

	it('puts a negative value left of zero, and names the series in a legend when there are several', () => {
		const layout = barLayout(
			['Thu', 'Chi'],
			[
				{ label: 'Dự toán', values: [100, -50] },
				{ label: 'Thực hiện', values: [80, -20] }
			],
			plain
		);
		expect(layout.zero).toBeGreaterThan(layout.left);
		const negative = layout.rows[1]!.bars[0]!;
		expect(negative.x + negative.width).toBeCloseTo(layout.zero, 5);
		expect(negative.x).toBeLessThan(layout.zero);
		expect(layout.legend.map((l) => l.label)).toEqual(['Dự toán', 'Thực hiện']);
		expect(layout.rows[0]!.lines[0]!.y).toBeGreaterThan(layout.legend[1]!.y);
	});

	it('keeps the value column wide enough for the longest value', () => {
		const narrow = barLayout(['a'], [{ label: 's', values: [1] }], plain);
		const wide = barLayout(['a'], [{ label: 's', values: [1] }], () => '1.234.567.890');
		expect(wide.right).toBeLessThan(narrow.right);
		expect(wide.valueX - wide.right).toBeGreaterThanOrEqual(13 * CHART.char);
	});

	it('uses colours with at least 3:1 contrast on white', () => {
		for (const c of BAR_COLOURS) expect(contrast(c, '#ffffff')).toBeGreaterThanOrEqual(3);
	});
});

describe('bar chart markup', () => {
	it('is one named image of SVG with no script, linked to its table, scaling by its viewBox', () => {
		const { body } = render(BarChart, {
			props: {
				id: 'c1',
				title: 'Biểu đồ <thu> & chi',
				labels: ['Thu ngân sách xã', 'Chi thường xuyên'],
				series: [
					{ label: 'Dự toán', values: [12450, 8650], low: [12000, 8000], high: [13000, 9000] }
				],
				format: plain,
				tableId: 'table-1'
			}
		});
		expect(body).not.toContain('<script');
		expect(body).not.toContain('<canvas');
		expect(body).toMatch(
			/<svg[^>]* viewBox="0 0 320 \d+(\.\d+)?"[^>]* role="img"[^>]* aria-labelledby="c1-title"/
		);
		expect(body).toContain('<title id="c1-title">Biểu đồ &lt;thu> &amp; chi</title>');
		expect(body).toContain('href="#table-1"');
		expect(body).not.toMatch(/<svg[^>]* (width|height)="\d/);
		expect(body.match(/<rect /g)).toHaveLength(2);
		// each interval a whisker, drawn twice: a white halo under a dark line
		expect(body.match(/class="whisker/g)).toHaveLength(4);
		expect(body).toContain('>12450</text>');
		expect(body).toContain('>Chi thường xuyên</text>');
	});
});
