import { request as httpRequest } from 'node:http';
import { expect, type APIRequestContext } from '@playwright/test';

export interface Upload {
	name: string;
	mimeType: string;
	buffer: Buffer;
}
export type Fields = Record<string, string | string[] | Upload | Upload[]>;

/** SvelteKit's answer to a form action posted with `accept: application/json`. */
export interface ActionResult {
	type: 'success' | 'failure' | 'redirect' | 'error';
	status: number;
	location?: string;
	data?: string;
}

function multipart(fields: Fields): Record<string, string | Upload> | FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) {
		for (const v of Array.isArray(value) ? value : [value]) {
			if (typeof v === 'string') form.append(key, v);
			else {
				// as browsers send them: quotes and line breaks of a file name percent-encoded
				const name = v.name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
				form.append(key, new Blob([new Uint8Array(v.buffer)], { type: v.mimeType }), name);
			}
		}
	}
	return form;
}

/**
 * Posts a form action as a signed-in page's browser would (same origin, multipart), and expects
 * it to succeed or redirect; returns SvelteKit's JSON answer.
 */
export async function act(
	request: APIRequestContext,
	url: string,
	fields: Fields,
	expected: ActionResult['type'][] = ['success', 'redirect']
): Promise<ActionResult> {
	const response = await request.post(url, {
		headers: { origin: baseOrigin, accept: 'application/json' },
		multipart: multipart(fields) as FormData
	});
	const text = await response.text();
	let result: ActionResult;
	try {
		result = JSON.parse(text) as ActionResult;
	} catch {
		throw new Error(`${url}: ${response.status()} ${text.slice(0, 300)}`);
	}
	expect(expected, `${url} → ${text.slice(0, 300)} … ${text.slice(-300)}`).toContain(result.type);
	return result;
}

/**
 * Approves what the page at `url` shows for approval, as an approver pressing its button would:
 * the form carries the fingerprint of the version on the page.
 */
export async function approve(request: APIRequestContext, url: string): Promise<ActionResult> {
	const page = await (await request.get(url)).text();
	const seen = page.match(/name="seen" value="([0-9a-f]{64})"/)?.[1];
	expect(seen, `${url}: the approval form's fingerprint`).toBeTruthy();
	return act(request, `${url}?/approve`, { seen: seen! });
}

let baseOrigin = '';
/** The server's origin, set once from the test's baseURL. */
export function setOrigin(origin: string) {
	baseOrigin = origin;
}

/**
 * Posts a form action from a given loopback address (127.0.0.x), as a different citizen's
 * machine would: the per-client limit on questions counts each address apart, so the corpus does
 * not use up the budget of the other browser tests (which all come from 127.0.0.1).
 */
export async function actFrom(
	localAddress: string,
	url: string,
	fields: Fields
): Promise<ActionResult> {
	const target = new URL(url, baseOrigin);
	const body = new Request(target, { method: 'POST', body: multipart(fields) as FormData });
	const bytes = Buffer.from(await body.arrayBuffer());
	const text = await new Promise<string>((resolve, reject) => {
		const req = httpRequest(
			{
				host: '127.0.0.1',
				port: target.port,
				path: target.pathname + target.search,
				method: 'POST',
				localAddress,
				headers: {
					host: target.host,
					origin: baseOrigin,
					accept: 'application/json',
					'content-type': body.headers.get('content-type')!,
					'content-length': String(bytes.length)
				}
			},
			(res) => {
				const parts: Buffer[] = [];
				res.on('data', (c: Buffer) => parts.push(c));
				res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end(bytes);
	});
	const result = JSON.parse(text) as ActionResult;
	expect(
		['redirect', 'success'],
		`${url} from ${localAddress} → ${text.slice(0, 300)} … ${text.slice(-300)}`
	).toContain(result.type);
	return result;
}
