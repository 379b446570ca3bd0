import type { CleanAnswer } from '$lib/surveys/answers';
import { allQuestions, type InstrumentSpec } from '$lib/surveys/spec';

/** A respondent who picks an option of every choice question at random (seeded). */
export function randomAnswers(spec: InstrumentSpec, seed: number): CleanAnswer[] {
	let state = seed;
	const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	return allQuestions(spec).flatMap((q): CleanAnswer[] =>
		'options' in q
			? [{ code: q.code, options: [q.options[Math.floor(next() * q.options.length)]!.code] }]
			: []
	);
}

/** Microdata column names as plain words, for tests that read the CSV. */
export const MICRODATA_HEADER = {
	row: 'row',
	unit: 'unit',
	mode: 'mode',
	day: 'day',
	weight: 'weight',
	designWeight: 'design_weight',
	stratum: 'stratum',
	psu: 'psu'
};
