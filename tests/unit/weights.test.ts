import { describe, expect, it } from 'vitest';
import { weightsFromFields } from '$lib/analytics/weights';

describe('design weights from the table of communes', () => {
	it('read a weight a commune with a decimal comma or point, skipping the empty ones', () => {
		const { weights, problems } = weightsFromFields({
			weight_00913: '1,25',
			stratum_00913: ' thành thị ',
			weight_00916: '0.8',
			weight_00919: '  ',
			stratum_00919: 'núi',
			confirm: 'x'
		});
		expect(problems).toEqual([]);
		expect(weights).toEqual([
			{ code: '00913', weight: 1.25, stratum: 'thành thị' },
			{ code: '00916', weight: 0.8, stratum: '' }
		]);
	});

	it('say which field is wrong and why', () => {
		const { weights, problems } = weightsFromFields({
			weight_00913: '1,2,5',
			weight_00916: '0',
			weight_00919: '2',
			stratum_00919: 'a, b',
			weight_00922: 'abc'
		});
		expect(weights).toEqual([]);
		expect(problems).toEqual([
			{ field: 'weight_00913', reason: 'format' },
			{ field: 'weight_00916', reason: 'range' },
			{ field: 'stratum_00919', reason: 'stratum' },
			{ field: 'weight_00922', reason: 'format' }
		]);
	});
});
