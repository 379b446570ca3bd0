import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	formatMargins,
	marginVariables,
	parseMargins,
	respondentValues,
	urbanRural,
	vocabularyOf
} from '$lib/analytics/margins';
import { instrumentSpec } from '$lib/surveys/spec';

const papi = instrumentSpec.parse(
	JSON.parse(readFileSync(new URL('../../seeds/instruments/papi.json', import.meta.url), 'utf8'))
);
const vocabulary = vocabularyOf(marginVariables(papi));

describe('margins as pasted from census tables', () => {
	it('offer the single-choice demographics without "prefer not to answer", and urban_rural', () => {
		expect([...vocabulary.keys()]).toEqual([
			'gender',
			'age_band',
			'ethnicity',
			'education',
			'residence_area',
			'urban_rural'
		]);
		expect(vocabulary.get('gender')).toEqual(['male', 'female', 'other']);
		expect(vocabulary.get('urban_rural')).toEqual(['urban', 'rural']);
	});

	it('read a category a line, with a comma, semicolon or tab, thousands grouped or not, and crossings', () => {
		const { margins, problems } = parseMargins(
			[
				'# Tổng điều tra 2019, biểu 1.3',
				'gender, male, 612 345',
				'gender;female;600.120',
				'',
				'gender × age_band\tfemale × 18_24\t48,120',
				'gender*age_band, male*18_24, 47120',
				'urban_rural, urban, 0',
				'urban_rural, rural, 1 020 400'
			].join('\r\n'),
			vocabulary
		);
		expect(problems).toEqual([]);
		expect(margins).toEqual([
			{
				variable: 'gender',
				categories: [
					{ category: 'male', population: 612345, line: 2, text: 'gender, male, 612 345' },
					{ category: 'female', population: 600120, line: 3, text: 'gender;female;600.120' }
				]
			},
			{
				variable: 'gender*age_band',
				categories: [
					{
						category: 'female*18_24',
						population: 48120,
						line: 5,
						text: 'gender × age_band\tfemale × 18_24\t48,120'
					},
					{
						category: 'male*18_24',
						population: 47120,
						line: 6,
						text: 'gender*age_band, male*18_24, 47120'
					}
				]
			},
			{
				variable: 'urban_rural',
				categories: [
					{ category: 'urban', population: 0, line: 7, text: 'urban_rural, urban, 0' },
					{
						category: 'rural',
						population: 1020400,
						line: 8,
						text: 'urban_rural, rural, 1 020 400'
					}
				]
			}
		]);
	});

	it('say which line is wrong and why, and keep nothing of a margin whose population is 0', () => {
		const { problems } = parseMargins(
			[
				'gender, male, 100',
				'gender male 100',
				'sex, male, 100',
				'gender, refuse, 10',
				'gender, female, 12,5',
				'gender, male, 200',
				'gender*gender, male*male, 5',
				'gender*age_band, male, 5',
				'ethnicity, kinh, 0',
				'ethnicity, tay, 0',
				'age_band, 18_24, -3'
			].join('\n'),
			vocabulary
		);
		expect(problems.map((p) => [p.line, p.reason])).toEqual([
			[2, 'format'],
			[3, 'variable'],
			[4, 'category'],
			[5, 'number'],
			[6, 'repeat'],
			[7, 'variable'],
			[8, 'category'],
			[9, 'empty'],
			[11, 'number']
		]);
		expect(problems[0]!.text).toBe('gender male 100');
	});

	it('merge options with +, in each part of a crossing, each option in one category only', () => {
		const { margins, problems } = parseMargins(
			[
				'ethnicity, thai + muong + khmer, 10 500',
				'ethnicity, kinh, 200',
				'gender*age_band, female*55_64+65_plus, 30',
				'ethnicity, tay+kinh, 5',
				'ethnicity, thai+refuse, 5'
			].join('\n'),
			vocabulary
		);
		expect(margins.map((m) => m.categories.map((c) => c.category))).toEqual([
			['thai+muong+khmer', 'kinh'],
			['female*55_64+65_plus']
		]);
		expect(problems.map((p) => [p.line, p.reason])).toEqual([
			[4, 'overlap'],
			[5, 'category']
		]);
	});

	it('need at least one line', () => {
		expect(parseMargins('\n# only a comment\n', vocabulary).problems).toEqual([
			{ line: 0, text: '', reason: 'none' }
		]);
	});

	it('read back what they write', () => {
		const text = 'gender, male, 5\ngender, female, 7\nurban_rural, rural, 9';
		const { margins } = parseMargins(text, vocabulary);
		expect(formatMargins(margins)).toBe(text);
	});
});

describe('a response on the margins’ variables', () => {
	it('classes the commune by its name: ward and town urban, commune rural, special zone neither', () => {
		expect(urbanRural('Phường Hà Giang 1')).toBe('urban');
		expect(urbanRural('Thị trấn Vị Xuyên')).toBe('urban');
		expect(urbanRural('Xã Lũng Cú')).toBe('rural');
		expect(urbanRural('Đặc khu Phú Quốc')).toBeUndefined();
		expect(urbanRural(null)).toBeUndefined();
	});

	it('takes the demographic answers from the closed answers, and the commune’s class', () => {
		const values = respondentValues(
			'd1_q1=yes&gender=female&age_band=25_34&ethnicity=refuse&urban_rural=urban',
			'Xã Lũng Cú',
			vocabulary
		);
		expect(Object.fromEntries(values)).toEqual({
			gender: 'female',
			age_band: '25_34',
			ethnicity: 'refuse',
			urban_rural: 'rural'
		});
	});
});
