import type { CleanAnswer, RawAnswers } from '../src/lib/surveys/answers';
import { isShown } from '../src/lib/surveys/answers';
import { allQuestions, type InstrumentSpec, type Option } from '../src/lib/surveys/spec';

/**
 * Synthetic respondents for the demo and the benchmarks: plausible, reproducible answers, never
 * presented as real data. `quality` (0..1) is how likely a respondent picks the best-scored
 * option of a scored question; communes and waves differ by their quality, so the demo shows
 * real differences between groups and over time.
 */
export type Random = () => number;

/** A small seeded generator (mulberry32), so the same seed gives the same respondents. */
export function seededRandom(seed: number): Random {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const pick = <T>(items: readonly T[], random: Random): T =>
	items[Math.floor(random() * items.length)]!;

/**
 * How demographic answers are spread, roughly as in the demo province (Tuyên Quang with Hà
 * Giang), so that some groups are small and the portal has something to hide; and a few answers
 * that a uniform pick would make implausibly common.
 */
const SHARES: Record<string, Record<string, number>> = {
	gender: { male: 0.49, female: 0.49, other: 0.02 },
	ethnicity: {
		kinh: 0.4,
		tay: 0.22,
		dao: 0.12,
		hmong: 0.14,
		nung: 0.06,
		thai: 0.01,
		muong: 0.01,
		khmer: 0.002,
		other: 0.03
	},
	// SIPAS since QĐ 1001 asks about harassment and informal payments: few say yes
	harassment: { yes: 0.06, no: 0.94 },
	informal_payment: { yes: 0.04, no: 0.96 },
	education: {
		none: 0.04,
		primary: 0.2,
		lower_secondary: 0.32,
		upper_secondary: 0.24,
		vocational: 0.12,
		university_plus: 0.08
	}
};

function weighted(shares: Record<string, number>, random: Random): string {
	const entries = Object.entries(shares);
	let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
	for (const [code, w] of entries) if ((r -= w) < 0) return code;
	return entries.at(-1)![0];
}

function choose(
	q: { code: string; options: readonly Option[] },
	random: Random,
	quality: number
): string {
	const options = q.options;
	const missing = options.filter((o) => o.missing);
	const real = options.filter((o) => !o.missing);
	if (missing.length && random() < 0.03) return pick(missing, random).code;
	const shares = SHARES[q.code];
	if (shares) return weighted(shares, random);
	const scored = real.filter((o) => o.score !== null);
	if (scored.length >= 2 && random() < quality) {
		const best = [...scored].sort((a, b) => b.score! - a.score!);
		// mostly the best option, sometimes the next best
		return (random() < 0.7 ? best[0]! : best[1]!).code;
	}
	return pick(real, random).code;
}

/** One respondent's answers, following the questionnaire's conditions. */
export function syntheticAnswers(
	spec: InstrumentSpec,
	random: Random,
	options: { quality: number; communeCode?: string }
): CleanAnswer[] {
	const raw: RawAnswers = {};
	const answers: CleanAnswer[] = [];
	for (const q of allQuestions(spec)) {
		if (!isShown(q, raw)) continue;
		switch (q.type) {
			case 'single':
			case 'scale5':
			case 'yesno': {
				const code = choose(q, random, options.quality);
				raw[q.code] = code;
				answers.push({ code: q.code, options: [code] });
				break;
			}
			case 'multiple': {
				const first = pick(q.options, random).code;
				const second = pick(q.options, random).code;
				const codes = q.options
					.map((o) => o.code)
					.filter((c) => c === first || (c === second && random() < 0.5));
				raw[q.code] = codes;
				answers.push({ code: q.code, options: codes });
				break;
			}
			case 'number': {
				const n = Math.round(q.min + random() * Math.min(q.max - q.min, 20));
				raw[q.code] = String(n);
				answers.push({ code: q.code, number: n });
				break;
			}
			case 'commune':
				if (options.communeCode) {
					raw[q.code] = options.communeCode;
					answers.push({ code: q.code, options: [options.communeCode] });
				}
				break;
			default:
				// free text is left empty: synthetic respondents have nothing to say
				break;
		}
	}
	return answers;
}
