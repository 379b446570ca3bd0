import type { SubmitFunction } from '@sveltejs/kit';

/** use:enhance that keeps what was typed: a failed action shows its errors beside the input. */
export const keepInput: SubmitFunction =
	() =>
	({ update }) =>
		update({ reset: false });
