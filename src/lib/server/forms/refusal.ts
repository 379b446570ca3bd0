/**
 * The one way a domain step says "not now": a code, the HTTP status that code answers with, the
 * reason in the request's language and, when one field is to blame, that field. Each feature
 * declares its refusals once, in a table (see `refusals`), so the same invalid state answers the
 * same status everywhere and no route maps errors by hand.
 */
export type FieldErrors = Record<string, string>;

export class DomainError<C extends string = string> extends Error {
	constructor(
		readonly code: C,
		readonly status: number,
		private readonly say: () => string,
		/** the fields to blame, each with its reason; empty when the whole step is refused */
		readonly fields: FieldErrors = {}
	) {
		super(code);
		this.name = 'DomainError';
	}

	/** The reason, localized when it is read (inside the request, so in its language). */
	get reason(): string {
		return this.say();
	}
}

export type RefusalTable<C extends string> = Record<
	C,
	readonly [status: number, say: () => string]
>;

/**
 * A feature's refusals: `const refuse = refusals({ state: [409, m.common_error_state], ... })`, then
 * `throw refuse('state')`, or `refuse('period', 'period')` to put the reason beside a field.
 */
export function refusals<C extends string>(table: RefusalTable<C>) {
	return (code: C, field?: string): DomainError<C> => {
		const [status, say] = table[code];
		return new DomainError(code, status, say, field ? { [field]: say() } : {});
	};
}

/** Input that fails checks beyond the schema (uploads, cross-field rules): 400, reasons by field. */
export function invalidInput(fields: FieldErrors, say: () => string): DomainError<'invalid'> {
	return new DomainError('invalid', 400, say, fields);
}
