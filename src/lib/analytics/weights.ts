/**
 * A wave's sampling design as staff type it: one commune a line, its official code, its weight
 * and, for a designed sample, its stratum ("00913, 1.25" or "00913 1,25" or "00913, 1.25, urban").
 * Pure: the caller checks the codes against the wave's communes.
 */
export type WeightLine = { code: string; weight: number; stratum: string };
export type WeightProblem = { line: number; text: string; reason: 'format' | 'range' | 'repeat' };

export function parseWeights(text: string): { weights: WeightLine[]; problems: WeightProblem[] } {
	const weights: WeightLine[] = [];
	const problems: WeightProblem[] = [];
	const seen = new Set<string>();
	text.split(/\r?\n/).forEach((raw, i) => {
		const line = raw.trim();
		if (!line) return;
		const match = /^(\d{5})\s*[,;\t ]\s*(\d+(?:[.,]\d+)?)(?:\s*[,;\t]\s*([^,;\t]{1,40}))?$/.exec(
			line
		);
		if (!match) return problems.push({ line: i + 1, text: line, reason: 'format' });
		const [, code, number, stratum] = match;
		const weight = Number(number!.replace(',', '.'));
		if (!(weight > 0 && weight < 1e6))
			return problems.push({ line: i + 1, text: line, reason: 'range' });
		if (seen.has(code!)) return problems.push({ line: i + 1, text: line, reason: 'repeat' });
		seen.add(code!);
		weights.push({ code: code!, weight, stratum: (stratum ?? '').trim() });
	});
	return { weights, problems };
}

export const formatWeights = (lines: readonly WeightLine[]) =>
	lines.map((l) => `${l.code}, ${l.weight}${l.stratum ? `, ${l.stratum}` : ''}`).join('\n');
