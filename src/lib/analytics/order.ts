import { SUB_INDICES, type InstrumentSpec, type Section } from '$lib/surveys/spec';
import type { Measure } from './scoring';

/**
 * The rows of a results table in the questionnaire's order, numbered as the plans number them.
 * Pure.
 *
 * The total (the headline) comes first, without a number; then each dimension (PAPI) or element
 * (SIPAS) in the questionnaire's order, numbered 1, 2, ..., each followed at once by its own
 * sub-dimensions or criteria, numbered 2.1, 2.2, ... ("2.2" is dimension 2, sub-dimension 2, as
 * the plans' task matrices write it). A SIPAS index of the 2023–2026 method has a level more: its
 * sub-indices come first, numbered 1 (policy) and 2 (service), as the method lists them, each
 * followed by its own elements (1.1, 1.2, ..., 2.1 ...), each element by its criteria (2.1.1 ...).
 * Only sections and parts that carry a score are numbered, so the numbers are those of the
 * measures, as the plans count them. Indicators are left out. Every view of results (the wave
 * page, its CSV, the plan dashboard and printed report) and the plans' measure references take
 * their order and numbers from here.
 */
export type Numbered<M extends Pick<Measure, 'code' | 'level'> = Measure> = {
	measure: M;
	/** "2", "2.2", "2.1.3"; empty for the total */
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
	/** Each scored section of `sections`, numbered `${prefix}1` ..., followed by its parts. */
	const sectionRows = (sections: readonly Section[], prefix: string) => {
		let section = 0;
		for (const s of sections) {
			const measure = of('section', s.code);
			if (!measure) continue;
			const number = `${prefix}${++section}`;
			rows.push({ measure, number });
			let part = 0;
			for (const p of s.parts) {
				const partMeasure = of('part', p.code);
				if (partMeasure) rows.push({ measure: partMeasure, number: `${number}.${++part}` });
			}
		}
	};
	// sub-indices keep their number (policy 1, service 2) even when the other one is unscored
	const subIndices = SUB_INDICES.map((s) => ({ ...s, measure: of('subindex', s.code) }));
	if (subIndices.every((s) => !s.measure)) sectionRows(spec.sections, '');
	for (const [i, { measure, role }] of subIndices.entries()) {
		if (!measure) continue;
		rows.push({ measure, number: String(i + 1) });
		sectionRows(
			spec.sections.filter((s) => s.role === role),
			`${i + 1}.`
		);
	}
	return rows;
}
