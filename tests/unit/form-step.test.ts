import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseFields } from '$lib/server/forms/parse';
import { DomainError, invalidInput, refusals } from '$lib/server/forms/refusal';
import { formStep } from '$lib/server/forms/step';

const post = (fields: Record<string, string>) => {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.append(k, v);
	return new Request('http://localhost/x', { method: 'POST', body });
};

const refuse = refusals({
	state: [409, () => 'Không còn phù hợp.'],
	period: [400, () => 'Kỳ không hợp lệ.']
});

const schema = z.object({ title: z.string().min(3), password: z.string().optional() });

describe('the action contract', () => {
	it('answers a field missing from the post in Vietnamese, never with the library’s English', () => {
		const parsed = parseFields(
			z.object({ topic: z.string(), unit: z.coerce.number() }),
			new FormData()
		);
		expect(parsed).toEqual({
			errors: {
				topic: 'Vui lòng nhập thông tin này.',
				unit: 'Giá trị này không hợp lệ, vui lòng kiểm tra lại.'
			}
		});
	});

	it('runs the step on valid input and returns what it says was done', async () => {
		const done = await formStep(post({ title: 'Tiêu đề' }), schema, async (d) => ({
			done: d.title
		}));
		expect(done).toEqual({ done: 'Tiêu đề' });
	});

	it('refuses invalid input with 400, the errors by field and what was typed, passwords aside', async () => {
		let ran = false;
		const answer = await formStep(
			post({ title: 'ab', password: 'secret-typed' }),
			schema,
			async () => {
				ran = true;
			}
		);
		expect(ran).toBe(false);
		expect(answer).toMatchObject({ status: 400, data: { values: { title: 'ab' } } });
		const data = (
			answer as { data: { values: Record<string, string>; errors: Record<string, string> } }
		).data;
		expect(Object.keys(data.errors)).toEqual(['title']);
		expect(data.values).not.toHaveProperty('password');
	});

	it('turns a refusal into its status and reason, for the form or beside its field', async () => {
		const whole = await formStep(post({ title: 'Tiêu đề' }), schema, async () => {
			throw refuse('state');
		});
		expect(whole).toMatchObject({
			status: 409,
			data: { values: { title: 'Tiêu đề' }, errors: {}, message: 'Không còn phù hợp.' }
		});
		const field = await formStep(post({ title: 'Tiêu đề' }), schema, async () => {
			throw refuse('period', 'period');
		});
		expect(field).toMatchObject({ status: 400, data: { errors: { period: 'Kỳ không hợp lệ.' } } });
		expect((field as { data: object }).data).not.toHaveProperty('message');
	});

	it('reports checks beyond the schema with the schema’s errors, and lets a check refuse the form', async () => {
		const both = await formStep(post({ title: 'ab' }), schema, async () => undefined, {
			check: () => ({ files: 'Tệp quá lớn.' })
		});
		expect(both).toMatchObject({ status: 400, data: { errors: { files: 'Tệp quá lớn.' } } });
		expect(Object.keys((both as { data: { errors: object } }).data.errors).sort()).toEqual([
			'files',
			'title'
		]);
		const bot = await formStep(post({ title: 'Tiêu đề' }), schema, async () => undefined, {
			check: () => {
				throw invalidInput({}, () => 'Không gửi được.');
			}
		});
		expect(bot).toMatchObject({ status: 400, data: { message: 'Không gửi được.' } });
	});

	it('lets other errors through: a bug is not a refusal', async () => {
		await expect(
			formStep(post({ title: 'Tiêu đề' }), schema, async () => {
				throw new Error('bug');
			})
		).rejects.toThrow('bug');
		expect(refuse('state')).toBeInstanceOf(DomainError);
	});
});
