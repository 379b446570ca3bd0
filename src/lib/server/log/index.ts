import { format } from 'node:util';
import { dev } from '$app/environment';

/**
 * One line per event on standard output: a JSON object in the built server (for journald, a log
 * shipper or `jq`), a short readable line in `vite dev`. Our own 50 lines rather than pino: the
 * server writes a few lines per request, needs no transports or worker threads (which do not
 * survive adapter-node's bundling well), and nothing here may log personal data anyway, so
 * pino's redaction would only hide mistakes the tests should catch.
 *
 * Never pass an e-mail, a token, a code, a query string or a client address in `fields`.
 */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];
export type Fields = Record<string, unknown>;
export type Logger = Record<Level, (msg: string, fields?: Fields) => void> & {
	enabled: (level: Level) => boolean;
};

export type LoggerOptions = {
	level: Level;
	format: 'json' | 'text';
	write?: (line: string) => void;
	now?: () => Date;
};

export function levelOf(value: string | undefined): Level {
	return (LEVELS as readonly string[]).includes(value ?? '') ? (value as Level) : 'info';
}

/** An Error as plain fields: JSON.stringify drops its name, message and stack otherwise. */
export function errorFields(error: unknown): Fields {
	if (!(error instanceof Error)) return { error: String(error) };
	const code = (error as { code?: unknown }).code;
	return {
		error: { name: error.name, message: error.message, stack: error.stack, code },
		...(error.cause ? { cause: String(error.cause) } : {})
	};
}

function textLine(time: Date, level: Level, msg: string, fields: Fields): string {
	const rest = Object.entries(fields)
		.filter(([key]) => key !== 'error')
		.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
	const stack = (fields.error as { stack?: string } | undefined)?.stack;
	return [time.toISOString().slice(11, 23), level.toUpperCase().padEnd(5), msg, ...rest]
		.join(' ')
		.concat(stack ? `\n${stack}` : '');
}

export function createLogger(options: LoggerOptions): Logger {
	const threshold = LEVELS.indexOf(options.level);
	const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
	const now = options.now ?? (() => new Date());
	const enabled = (level: Level) => LEVELS.indexOf(level) >= threshold;
	const at =
		(level: Level) =>
		(msg: string, fields: Fields = {}) => {
			if (!enabled(level)) return;
			const time = now();
			write(
				options.format === 'json'
					? JSON.stringify({ time: time.toISOString(), level, msg, ...fields })
					: textLine(time, level, msg, fields)
			);
		};
	return {
		enabled,
		debug: at('debug'),
		info: at('info'),
		warn: at('warn'),
		error: at('error')
	};
}

/** The server's logger: LOG_LEVEL (checked in config.ts; info when unset), JSON unless in `vite dev`. */
export const log: Logger = createLogger({
	level: levelOf(process.env.LOG_LEVEL),
	format: dev ? 'text' : 'json'
});

/**
 * Sends what libraries (and adapter-node's "Listening on ...") print with console.* through the
 * logger, so that every line of the built server is one JSON object.
 */
export function captureConsole(logger: Logger = log) {
	const as =
		(level: Level) =>
		(first?: unknown, ...rest: unknown[]) =>
			logger[level](format(first, ...rest));
	console.log = as('info');
	console.info = as('info');
	console.debug = as('debug');
	console.warn = as('warn');
	console.error = as('error');
}
