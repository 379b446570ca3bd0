import { m } from '$lib/paraglide/messages';

/** What a form action sent back: the values typed and the errors by field (or none). */
type Echo = {
	values?: Record<string, string>;
	errors?: Record<string, string>;
	message?: unknown;
	done?: unknown;
};

const echo = (form: unknown): Echo => (form && typeof form === 'object' ? (form as Echo) : {});

export const formValues = (form: unknown): Record<string, string> => echo(form).values ?? {};
export const formErrors = (form: unknown): Record<string, string> => echo(form).errors ?? {};

/** The message of a failed action, when it sent one. */
export const formMessage = (form: unknown): string | undefined => {
	const message = echo(form).message;
	return typeof message === 'string' ? message : undefined;
};

/** What a successful action says it did, when it says so. */
export const formDone = (form: unknown): string | undefined => {
	const done = echo(form).done;
	return typeof done === 'string' ? done : undefined;
};

/** Whether the action refused: errors by field or a reason for the whole form. */
export const formFailed = (form: unknown): boolean =>
	Object.keys(formErrors(form)).length > 0 || formMessage(form) !== undefined;

/** The page title; a refused form puts "Lỗi:" / "Error:" first, as the screen reader reads it. */
export const pageTitle = (title: string, form: unknown): string =>
	formFailed(form) ? m.common_error_title({ title }) : title;
