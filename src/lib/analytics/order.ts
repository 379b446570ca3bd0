import type { InstrumentSpec } from '$lib/surveys/spec';
import type { Measure } from './scoring';

/**
 * The rows of a results table in the questionnaire's order, numbered as the plans number them.
 * Pure.
 *
 * The total (the headline) comes first, without a number; then each dimension (PAPI) or element
 * (SIPAS) in the questionnaire's order, numbered 1, 2, ..., each followed at once by its own
 * sub-dimensions or criteria, numbered 2.1, 2.2, ... ("2.2" is dimension 2, sub-dimension 2, as
 * the plans' task matrices write it). Only sections and parts that carry a score are numbered,
 * so the numbers are those of the measures, as the plans count them. Indicators are left out.
 * Every view of results (the wave page, its CSV, the plan dashboard and printed report) and the
 * plans' measure references take their order and numbers from here.
 */
export type Numbered<M extends Pick<Measure, 'code' | 'level'> = Measure> = {
	measure: M;
	/** "2", "2.2"; empty for the total */
	number: string;
};

export function resultOrder<M extends Pick<Measure, 'code' | 'level'>>(
	spec: InstrumentSpec,
	measures: readonly M[]
): Numbered<M>[] {
	const of = (level: Measure['level'], code: string) =>
		measures.find((m) => m.level === level && m.code === code);
	const rows: Numbered<M>[] = measures
		.filter((m) => m.level === 'total')
		.map((measure) => ({ measure, number: '' }));
	let section = 0;
	for (const s of spec.sections) {
		const measure = of('section', s.code);
		if (!measure) continue;
		section++;
		rows.push({ measure, number: String(section) });
		let part = 0;
		for (const p of s.parts) {
			const partMeasure = of('part', p.code);
			if (partMeasure) rows.push({ measure: partMeasure, number: `${section}.${++part}` });
		}
	}
	return rows;
}
