import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { FieldErrors } from './refusal';

export type { FieldErrors };
export type FormFailure = { values: Record<string, string>; errors: FieldErrors; message?: string };

/** What the user typed, to put back into the form; passwords are never echoed. */
export function echoValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && !/password/i.test(key)) values[key] = value.slice(0, 10_000);
	}
	return values;
}

/** Whether `e` is (or was caused by) the adapter's refusal of a body over BODY_SIZE_LIMIT. */
function tooLarge(e: unknown): boolean {
	for (let c = e, depth = 0; c && typeof c === 'object' && depth < 4; depth++) {
		if ((c as { status?: unknown }).status === 413) return true;
		c = (c as { cause?: unknown }).cause;
	}
	return false;
}

/**
 * Reads a posted form. A body that is not a form at all is answered 400, and one larger than
 * BODY_SIZE_LIMIT 413, rather than 500. Zod messages are produced while parsing, inside the
 * request, so they are already localized.
 */
export async function readForm(request: Request): Promise<FormData | ActionFailure<FormFailure>> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch (e) {
		return tooLarge(e)
			? fail(413, { values: {}, errors: {}, message: m.error_too_large() })
			: fail(400, { values: {}, errors: {}, message: m.error_invalid_request() });
	}
	return withoutNul(form);
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL pasted into a field would fail the request with a 500
 * and lose what was typed. It is dropped from every text field instead (it never displays).
 */
function withoutNul(form: FormData): FormData {
	if (![...form.values()].some((v) => typeof v === 'string' && v.includes('\0'))) return form;
	const clean = new FormData();
	for (const [key, value] of form) {
		if (typeof value === 'string') clean.append(key, value.replaceAll('\0', ''));
		else clean.append(key, value);
	}
	return clean;
}

/**
 * What a person reads when a schema gives no message of its own: a field that was not posted at all
 * (a script, an old form, a proxy that mangled the body) is "required", anything else "not valid".
 * A validation library's own English never reaches the page.
 */
const localizedIssue: z.core.$ZodErrorMap = (issue) =>
	issue.input === undefined || issue.input === '' ? m.error_required() : m.common_error_invalid();

/** The form's text fields through `schema`: the data, or the first error of each field. */
export function parseFields<S extends z.ZodType>(
	schema: S,
	form: FormData
): { data: z.infer<S> } | { errors: FieldErrors } {
	const raw = Object.fromEntries([...form].filter(([, v]) => typeof v === 'string'));
	const result = schema.safeParse(raw, { error: localizedIssue });
	if (result.success) return { data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? '_form');
		errors[field] ??= issue.message;
	}
	return { errors };
}
