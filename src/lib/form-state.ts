/** What a failed form action sent back: the values typed and the errors by field (or none). */
type Echo = { values?: Record<string, string>; errors?: Record<string, string> };

const echo = (form: unknown): Echo => (form && typeof form === 'object' ? (form as Echo) : {});

export const formValues = (form: unknown): Record<string, string> => echo(form).values ?? {};
export const formErrors = (form: unknown): Record<string, string> => echo(form).errors ?? {};
