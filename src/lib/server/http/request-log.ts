import { randomUUID } from 'node:crypto';
import { isHttpError, isRedirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import type { Level, Logger } from '../log';

/**
 * One log line per request, written when its body has been sent (or the client went away):
 * the request id, the method, the route id (`/questions/track/[token]`, never the address: no
 * token, code or query string reaches the log), the status, the duration and the bytes sent.
 * The id is the server's own (a client's X-Request-Id is ignored) and goes back to the client in
 * X-Request-Id; handleError shows the same id on an error page, so a citizen's report finds the
 * line. No client address, user or cookie is logged.
 */
export type RequestLogOptions = {
	logger: Logger;
	/** the name logged for a request that matched no route (the health probes answer in a hook) */
	label?: (event: RequestEvent) => string | null;
	/** requests logged at debug only (the health probes, polled every few seconds) */
	quiet?: (event: RequestEvent) => boolean;
};

export function requestLog({ logger, label, quiet }: RequestLogOptions): Handle {
	return async ({ event, resolve }) => {
		const id = randomUUID();
		event.locals.requestId = id;
		const started = performance.now();
		const line = (status: number, bytes: number | undefined, aborted = false) => {
			const level: Level = quiet?.(event) ? 'debug' : status >= 500 ? 'warn' : 'info';
			logger[level]('request', {
				id,
				method: event.request.method,
				route: event.route.id ?? label?.(event) ?? null,
				status,
				ms: Math.round((performance.now() - started) * 10) / 10,
				bytes,
				...(aborted ? { aborted } : {})
			});
		};
		let response: Response;
		try {
			response = await resolve(event);
		} catch (e) {
			// a redirect or error thrown by a hook: the framework answers it after us
			line(isRedirect(e) || isHttpError(e) ? e.status : 500, undefined);
			throw e;
		}
		response.headers.set('x-request-id', id);
		if (!response.body) {
			line(response.status, 0);
			return response;
		}
		const body = counted(response.body, (bytes, aborted) => line(response.status, bytes, aborted));
		return new Response(body, {
			status: response.status,
			statusText: response.statusText,
			headers: response.headers
		});
	};
}

/** The same stream, calling `done` once with the bytes that went through it. */
function counted(
	body: ReadableStream<Uint8Array>,
	done: (bytes: number, aborted: boolean) => void
): ReadableStream<Uint8Array> {
	const reader = body.getReader();
	let bytes = 0;
	let finished = false;
	const finish = (aborted: boolean) => {
		if (finished) return;
		finished = true;
		done(bytes, aborted);
	};
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const chunk = await reader.read();
				if (chunk.done) {
					controller.close();
					finish(false);
				} else {
					bytes += chunk.value.byteLength;
					controller.enqueue(chunk.value);
				}
			} catch (e) {
				controller.error(e);
				finish(true);
			}
		},
		cancel(reason) {
			finish(true);
			return reader.cancel(reason);
		}
	});
}
