import { describe, expect, it } from 'vitest';
import { formatWeights, parseWeights } from '$lib/analytics/weights';

describe('design weights as typed', () => {
	it('read a code and a weight a line, with a comma, semicolon, tab or space, and a decimal comma', () => {
		const { weights, problems } = parseWeights('00913, 1.25\n\n00916;0,8\r\n00919\t2\n00922 3,5 ');
		expect(problems).toEqual([]);
		expect(weights).toEqual([
			{ code: '00913', weight: 1.25, stratum: '' },
			{ code: '00916', weight: 0.8, stratum: '' },
			{ code: '00919', weight: 2, stratum: '' },
			{ code: '00922', weight: 3.5, stratum: '' }
		]);
		expect(parseWeights(formatWeights(weights)).weights).toEqual(weights);
	});

	it('read a stratum after the weight, for a designed sample', () => {
		const { weights, problems } = parseWeights(
			'00913, 1,25, thành thị\n00916; 0.8; nông thôn\n00919\t2\tnúi'
		);
		expect(problems).toEqual([]);
		expect(weights).toEqual([
			{ code: '00913', weight: 1.25, stratum: 'thành thị' },
			{ code: '00916', weight: 0.8, stratum: 'nông thôn' },
			{ code: '00919', weight: 2, stratum: 'núi' }
		]);
		expect(parseWeights(formatWeights(weights)).weights).toEqual(weights);
	});

	it('say which line is wrong and why', () => {
		const { problems } = parseWeights('00913, 1\n913, 1\n00916, 0\n00913, 2\n00917, =1+1');
		expect(problems).toEqual([
			{ line: 2, text: '913, 1', reason: 'format' },
			{ line: 3, text: '00916, 0', reason: 'range' },
			{ line: 4, text: '00913, 2', reason: 'repeat' },
			{ line: 5, text: '00917, =1+1', reason: 'format' }
		]);
	});
});
