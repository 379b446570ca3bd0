import { error, fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { DomainError, type FieldErrors } from './refusal';
import { echoValues, parseFields, readForm, type FormFailure } from './parse';

/** What a form action answers when its step is done: what happened and what comes next. */
export type FormDone = { done: string };

/** A refusal as a form answer: its status, what was typed, and the reason by field or for all. */
export function refused(e: DomainError, form: FormData): ActionFailure<FormFailure> {
	const blamed = Object.keys(e.fields).length > 0;
	return fail(e.status, {
		values: echoValues(form),
		errors: e.fields,
		...(blamed ? {} : { message: e.reason })
	});
}

type StepOptions = {
	/** the posted form, when the action has read it already */
	form?: FormData;
	/**
	 * checks beyond the schema (uploads), reported together with the schema's errors; a check may
	 * also throw a DomainError to refuse the whole form (a filled honeypot)
	 */
	check?: (form: FormData) => FieldErrors | Promise<FieldErrors>;
};

/**
 * A form action in one call: read the post, parse it through `schema`, run `step`, and answer a
 * refusal (a `DomainError`) or invalid input with `fail(status, { values, errors, message })`,
 * the one shape every form reads. Typed values always come back, so nothing entered is lost.
 */
export async function formStep<S extends z.ZodType, R>(
	request: Request,
	schema: S,
	step: (data: z.infer<S>, form: FormData) => Promise<R>,
	options: StepOptions = {}
): Promise<R | ActionFailure<FormFailure>> {
	const form = options.form ?? (await readForm(request));
	if (!(form instanceof FormData)) return form;
	const parsed = parseFields(schema, form);
	try {
		const errors: FieldErrors = {
			...('errors' in parsed ? parsed.errors : {}),
			...(options.check ? await options.check(form) : {})
		};
		if (!('data' in parsed) || Object.keys(errors).length > 0) {
			return fail(400, { values: echoValues(form), errors });
		}
		return await step(parsed.data, form);
	} catch (e) {
		if (e instanceof DomainError) return refused(e, form);
		throw e;
	}
}

/** A page load's domain call: a refusal becomes the error page of its status and reason. */
export async function loaded<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (e) {
		if (e instanceof DomainError) error(e.status, { message: e.reason });
		throw e;
	}
}
