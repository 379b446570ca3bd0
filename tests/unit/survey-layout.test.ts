import { describe, expect, it } from 'vitest';
import papiJson from '../../seeds/instruments/papi.json';
import sipasJson from '../../seeds/instruments/sipas-2023.json';
import { bandsOf } from '$lib/analytics/cells';
import { respondentsOf } from '$lib/analytics/scoring';
import { questionNumbers, showsPartTitle } from '$lib/surveys/layout';
import { allQuestions, instrumentSpec } from '$lib/surveys/spec';

const sipas = instrumentSpec.parse(sipasJson);
const papi = instrumentSpec.parse(papiJson);

describe('the questionnaire as the respondent reads it', () => {
	it('numbers every question once, 1 to n in questionnaire order', () => {
		const numbers = questionNumbers(sipas);
		const codes = allQuestions(sipas).map((q) => q.code);
		expect(codes.map((c) => numbers[c])).toEqual(codes.map((_, i) => i + 1));
		expect(numbers['access_information_sat']).toBe(15);
	});

	it('says a SIPAS criterion once, in its question, and keeps a heading over several questions', () => {
		const criterion = sipas.sections.find((s) => s.code === 'access')!.parts[0]!;
		expect(criterion.title).toBeDefined();
		expect(showsPartTitle(criterion)).toBe(false);
		const subDimension = papi.sections[0]!.parts.find((p) => p.questions.length > 1)!;
		expect(showsPartTitle(subDimension)).toBe(true);
		expect(showsPartTitle({ title: undefined, questions: subDimension.questions })).toBe(false);
	});
});

describe('"prefer not to answer" on the questions about the respondent', () => {
	it.each([
		['papi', papi],
		['sipas', sipas]
	])(
		'%s offers it on every single-choice demographic question, as its consent text says',
		(_, spec) => {
			expect(spec.consent.vi).toContain('Không muốn trả lời');
			const demographics = spec.sections
				.filter((s) => s.role === 'demographics')
				.flatMap((s) => s.parts.flatMap((p) => p.questions))
				.filter((q) => q.type === 'single');
			expect(demographics.map((q) => q.code)).toContain('age_band');
			for (const q of demographics) {
				const refuse = 'options' in q ? q.options.find((o) => o.code === 'refuse') : undefined;
				expect(refuse, q.code).toMatchObject({
					label: { vi: 'Không muốn trả lời', en: 'Prefer not to answer' },
					score: null,
					missing: 'refuse'
				});
			}
		}
	);

	it('is no band of a breakdown and no value of a score: it counts as missing', () => {
		const bands = bandsOf(sipas);
		expect(
			bands([
				{ code: 'age_band', options: ['refuse'] },
				{ code: 'gender', options: ['female'] },
				{ code: 'residence_area', options: ['refuse'] }
			])
		).toEqual([['gender', 'female']]);
		expect(bands([{ code: 'age_band', options: ['25_34'] }])).toEqual([['age_band', '25_34']]);
		// demographics carry no score whatever the answer
		const toRespondent = respondentsOf(sipas);
		const refused = toRespondent({
			weight: 1,
			answers: [{ code: 'age_band', options: ['refuse'] }]
		});
		const given = toRespondent({ weight: 1, answers: [{ code: 'age_band', options: ['25_34'] }] });
		expect(refused).toEqual(given);
	});
});
