import { allQuestions, type InstrumentSpec, type Text } from '$lib/surveys/spec';
import { bandQuestions } from './cells';
import { CROSS, MERGE, membersOf, type RakingMargin } from './raking';

/**
 * Population margins as an analyst pastes them from census tables, one category a line:
 *
 *     gender, male, 612 345
 *     gender*age_band, female*18_24, 48.120
 *     urban_rural; rural; 1 020 400
 *
 * variable, category and population separated by a comma, semicolon or tab; the population a
 * whole number of people, its thousands grouped or not (12345, 12 345, 12.345, 12,345); lines
 * starting with # are comments. A variable is a demographic question of the instrument, its
 * categories the question's options ("prefer not to answer" is not one), or `urban_rural`, the
 * class of the response's commune; several are crossed with * (or ×), their categories too.
 * Options too thin in the sample are merged with +, their populations added up by the analyst
 * ("ethnicity, thai+muong+khmer, 10 500").
 * Pure: the caller gives the variables the wave's instrument has.
 */

/** The class of the response's commune: its unit name's first words. */
export const URBAN_RURAL = 'urban_rural';

/**
 * Urban: a ward (Phường) or, before July 2025, a town (Thị trấn); rural: a commune (Xã), as the
 * statistics office classes them. A special zone (Đặc khu, on islands since 2025) is neither:
 * its respondents count as not stated on this variable.
 */
export function urbanRural(unitName: string | null | undefined): 'urban' | 'rural' | undefined {
	if (!unitName) return undefined;
	const name = unitName.trim();
	if (name.startsWith('Phường ') || name.startsWith('Thị trấn ')) return 'urban';
	if (name.startsWith('Xã ')) return 'rural';
	return undefined;
}

export type VariableInfo = {
	code: string;
	text: Text;
	categories: { code: string; label: Text }[];
};

/**
 * The instrument's variables margins may use: its single-choice demographics with their options
 * ("prefer not to answer" left out). `urban_rural` comes on top (see `vocabularyOf`).
 */
export function marginVariables(spec: InstrumentSpec): VariableInfo[] {
	const bands = new Set(bandQuestions(spec));
	return allQuestions(spec).flatMap((q) =>
		bands.has(q.code) && 'options' in q
			? [
					{
						code: q.code,
						text: q.text,
						categories: q.options
							.filter((o) => !o.missing)
							.map((o) => ({ code: o.code, label: o.label }))
					}
				]
			: []
	);
}

/** Base variable -> its categories. */
export type Vocabulary = ReadonlyMap<string, readonly string[]>;

export const vocabularyOf = (variables: readonly VariableInfo[]): Vocabulary =>
	new Map([
		...variables.map((v): [string, string[]] => [v.code, v.categories.map((c) => c.code)]),
		[URBAN_RURAL, ['urban', 'rural']]
	]);

/**
 * A respondent's value of each base variable: their option of each single-choice demographic
 * (from the response's closed answers, "question=option&…") and the class of their commune.
 */
export function respondentValues(
	closedAnswers: string,
	unitName: string | null,
	vocabulary: Vocabulary
): Map<string, string> {
	const values = new Map<string, string>();
	if (closedAnswers)
		for (const pair of closedAnswers.split('&')) {
			const at = pair.indexOf('=');
			const question = pair.slice(0, at);
			if (question !== URBAN_RURAL && vocabulary.has(question))
				values.set(question, pair.slice(at + 1));
		}
	const area = urbanRural(unitName);
	if (area) values.set(URBAN_RURAL, area);
	return values;
}

export type MarginCategory = { category: string; population: number; line: number; text: string };
export type Margin = { variable: string; categories: MarginCategory[] };
export type MarginProblem = {
	line: number;
	text: string;
	/** `none`: not one margin in the text (line 0) */
	reason: 'format' | 'number' | 'repeat' | 'overlap' | 'variable' | 'category' | 'empty' | 'none';
};

/** "gender × age_band" as "gender*age_band"; "55_64 + 65_plus" as "55_64+65_plus". */
const crossed = (text: string) =>
	text
		.split(/[*×]/)
		.map((part) =>
			part
				.split(MERGE)
				.map((p) => p.trim())
				.join(MERGE)
		)
		.join(CROSS);

/** A whole number of people, thousands grouped by space, dot or comma, or not at all. */
function population(text: string): number | undefined {
	const t = text.trim();
	if (!/^(\d+|\d{1,3}([ .,\u00a0\u202f]\d{3})+)$/.test(t)) return undefined;
	const value = Number(t.replace(/\D/g, ''));
	return value <= 1e10 ? value : undefined;
}

export function parseMargins(
	text: string,
	vocabulary: Vocabulary
): { margins: Margin[]; problems: MarginProblem[] } {
	const byVariable = new Map<string, Margin>();
	const problems: MarginProblem[] = [];
	text.split(/\r?\n/).forEach((raw, i) => {
		const line = raw.trim();
		const number = i + 1;
		if (!line || line.startsWith('#')) return;
		const problem = (reason: MarginProblem['reason']) =>
			problems.push({ line: number, text: line, reason });
		const match = /^([^,;\t]+)[,;\t]([^,;\t]+)[,;\t](.+)$/.exec(line);
		if (!match) return problem('format');
		const variable = crossed(match[1]!);
		const category = crossed(match[2]!);
		const parts = variable.split(CROSS);
		const values = category.split(CROSS);
		if (parts.some((p) => !vocabulary.has(p)) || new Set(parts).size !== parts.length)
			return problem('variable');
		if (
			values.length !== parts.length ||
			values.some((v, k) => v.split(MERGE).some((o) => !vocabulary.get(parts[k]!)!.includes(o)))
		)
			return problem('category');
		const count = population(match[3]!);
		if (count === undefined) return problem('number');
		let margin = byVariable.get(variable);
		if (!margin) byVariable.set(variable, (margin = { variable, categories: [] }));
		if (margin.categories.some((c) => c.category === category)) return problem('repeat');
		const members = new Set(membersOf(category));
		if (margin.categories.some((c) => membersOf(c.category).some((v) => members.has(v))))
			return problem('overlap');
		margin.categories.push({ category, population: count, line: number, text: line });
	});
	for (const margin of byVariable.values())
		if (margin.categories.every((c) => c.population === 0)) {
			const first = margin.categories[0]!;
			problems.push({ line: first.line, text: first.text, reason: 'empty' });
		}
	if (!byVariable.size && !problems.length) problems.push({ line: 0, text: '', reason: 'none' });
	problems.sort((a, b) => a.line - b.line);
	return { margins: [...byVariable.values()], problems };
}

/** The margins as text to edit again (a parsed margin is also what `rake` takes). */
export const formatMargins = (margins: readonly RakingMargin[]) =>
	margins
		.flatMap((m) => m.categories.map((c) => `${m.variable}, ${c.category}, ${c.population}`))
		.join('\n');
