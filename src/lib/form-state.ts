/** What a failed form action sent back: the values typed and the errors by field (or none). */
type Echo = {
	values?: Record<string, string>;
	errors?: Record<string, string>;
	message?: unknown;
};

const echo = (form: unknown): Echo => (form && typeof form === 'object' ? (form as Echo) : {});

export const formValues = (form: unknown): Record<string, string> => echo(form).values ?? {};
export const formErrors = (form: unknown): Record<string, string> => echo(form).errors ?? {};

/** The message of a failed action, when it sent one. */
export const formMessage = (form: unknown): string | undefined => {
	const message = echo(form).message;
	return typeof message === 'string' ? message : undefined;
};
