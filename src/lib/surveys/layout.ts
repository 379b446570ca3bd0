import type { InstrumentSpec, Part } from './spec';

/**
 * How a questionnaire is laid out for the respondent. Pure: shared by the one-page form, the
 * paged steps and their tests.
 */

/** A commune as a picker offers it. */
export type CommuneOption = { code: string; name: string };

/**
 * What a commune question offers: the wave's communes, and the other communes of its provinces
 * for a respondent who lives elsewhere (empty when the wave covers whole provinces).
 */
export type CommuneOptions = { inScope: CommuneOption[]; elsewhere: CommuneOption[] };

/**
 * Every question's number in the whole questionnaire, 1 to n in order, the same on every page
 * and whatever earlier answers hide, so "câu 7" means one question to the respondent and staff.
 */
export function questionNumbers(spec: InstrumentSpec): Record<string, number> {
	const numbers: Record<string, number> = {};
	let n = 0;
	for (const s of spec.sections)
		for (const p of s.parts) for (const q of p.questions) numbers[q.code] = ++n;
	return numbers;
}

/**
 * Whether a part's title is shown above its questions: only when it groups several. A SIPAS
 * criterion is one question that already says what the criterion says; its title is heard once,
 * in the question.
 */
export function showsPartTitle(part: Pick<Part, 'title' | 'questions'>): boolean {
	return !!part.title && part.questions.length > 1;
}
