/** A commune's design weight and, for a designed sample, its stratum. */
export type WeightLine = { code: string; weight: number; stratum: string };

export type WeightFieldProblem = { field: string; reason: 'format' | 'range' | 'stratum' };

/**
 * The design weights as the wave page's table sends them: a weight field per commune
 * (`weight_00913`: "1,25" or "1.25"; empty when the commune has none) and its stratum
 * (`stratum_00913`). Pure: the caller checks the codes against the wave's communes.
 */
export function weightsFromFields(fields: Record<string, string>): {
	weights: WeightLine[];
	problems: WeightFieldProblem[];
} {
	const weights: WeightLine[] = [];
	const problems: WeightFieldProblem[] = [];
	for (const [field, raw] of Object.entries(fields)) {
		const code = /^weight_(\d{5})$/.exec(field)?.[1];
		const text = raw.trim();
		if (!code || !text) continue;
		if (!/^\d+(?:[.,]\d+)?$/.test(text)) {
			problems.push({ field, reason: 'format' });
			continue;
		}
		const weight = Number(text.replace(',', '.'));
		if (!(weight > 0 && weight < 1e6)) {
			problems.push({ field, reason: 'range' });
			continue;
		}
		const stratum = (fields[`stratum_${code}`] ?? '').trim();
		if (stratum.length > 40 || /[,;\t]/.test(stratum)) {
			problems.push({ field: `stratum_${code}`, reason: 'stratum' });
			continue;
		}
		weights.push({ code, weight, stratum });
	}
	return { weights, problems };
}
