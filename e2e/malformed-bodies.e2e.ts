import { request as httpRequest } from 'node:http';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO, DEMO_PASSWORD } from './helpers';
import { routeFiles } from './attack-helpers';

/**
 * Every form action of the route tree gets bodies that are not what its form sends: nothing, JSON,
 * plain text, broken multipart, broken percent-encoding and UTF-8, a field repeated 10,000 times,
 * 1 MB in every field, odd field names, and more than BODY_SIZE_LIMIT. Each must be a 4xx, never
 * a 5xx. Staff routes are posted by a persona of their area; a route's id is one that does not
 * exist, so that no action can change the demo data the other tests share (the ones without an
 * id in their address read the body before anything else).
 */
const ACTIONS = routeFiles('+page.server.ts')
	.filter((r) => /export const actions/.test(r.source))
	.map((r) => ({
		id: r.id,
		path: r.id
			.replace('/(staff)', '')
			.replace('[slug]', 'papi-tuyen-quang-2026')
			.replace('[token]', 'AAAAAAAAAAAAAAAAAAAAAA')
			.replace('[code]', 'q1')
			.replace('[n]', '1')
			.replace(/\[\w+\]/g, '2147483647'),
		names: [...r.source.split('export const actions')[1]!.matchAll(/^\t(\w+)\s*[:(]/gm)].map(
			(m) => m[1]!
		),
		// the names the action reads, so that oversized and repeated values reach its parsing
		fields: [
			...new Set(
				[...r.source.matchAll(/form\.get(?:All)?\('(\w+)'\)|^\t*(\w+): z[.\n]/gm)].map(
					(m) => (m[1] ?? m[2])!
				)
			)
		]
	}));

const PERSONA: Record<string, string> = {
	officials: DEMO.official,
	// the province's analyst: only scope over the whole province reaches a questionnaire's parsing
	fieldwork: DEMO.analyst,
	analytics: DEMO.analyst,
	admin: DEMO.admin,
	// the staff landing page: anyone signed in
	staff: DEMO.interviewer
};
/** Staff routes whose own check comes before their parsing, posted by someone it lets through. */
const ROUTE_PERSONA: Record<string, string> = {
	// counters: an agency's officials (here Sở Nội vụ's), not every signed-in staff member
	'/(staff)/staff/counters': DEMO.official
};

const MB = 'x'.repeat(1024 * 1024);
const BOUNDARY = '----civicvoiceattack';

const URLENCODED = 'application/x-www-form-urlencoded';

/**
 * A lookup that changes nothing: a well-formed form without a usable text finds nothing (200).
 * Broken bodies still have to be 4xx.
 */
const READ_ONLY = ['/questions/ask?/similar'];

/**
 * A citizen's survey step or review posted without a draft (none in these requests) is sent back
 * to the survey's start, which says the draft was lost: a handled 303, not an error page.
 */
const LOST = '/surveys/papi-tuyen-quang-2026?lost=1';

function handled(routeId: string, status: number, location: string): boolean {
	return (
		['/surveys/[slug]/review', '/surveys/[slug]/step/[n]'].includes(routeId) &&
		status === 303 &&
		/\/surveys\/papi-tuyen-quang-2026\?lost=1/.test(location)
	);
}

function jsonStatus(text: string): number {
	try {
		const answer = JSON.parse(text) as { type?: string; status?: number };
		return answer.type === 'success' ? 200 : (answer.status ?? 0);
	} catch {
		return 0;
	}
}

type Body = { label: string; type?: string; data: string | Buffer };

function bodies(fields: string[]): Body[] {
	const names = fields.length ? fields : ['value'];
	const urlencoded = URLENCODED;
	const multipart = `multipart/form-data; boundary=${BOUNDARY}`;
	return [
		{ label: 'empty form', type: urlencoded, data: '' },
		{ label: 'no content type', data: 'a=1' },
		{ label: 'JSON', type: 'application/json', data: JSON.stringify({ [names[0]!]: 'x' }) },
		{ label: 'text/plain', type: 'text/plain', data: `${names[0]}=x` },
		{ label: 'multipart without boundary', type: 'multipart/form-data', data: 'a=1' },
		{ label: 'multipart with a wrong boundary', type: multipart, data: '--other\r\n\r\nx' },
		{
			label: 'truncated multipart',
			type: multipart,
			data: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${names[0]}"\r\n\r\nx`
		},
		{
			label: 'multipart part without a name',
			type: multipart,
			data: `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${BOUNDARY}--\r\n`
		},
		{ label: 'invalid percent-encoding', type: urlencoded, data: `${names[0]}=%zz%&%=%E0%A4%A` },
		{
			label: 'invalid UTF-8',
			type: urlencoded,
			data: Buffer.concat([Buffer.from(`${names[0]}=`), Buffer.from([0xff, 0xfe, 0xc3, 0x28])])
		},
		{
			label: 'a field repeated 10,000 times',
			type: urlencoded,
			data: Array.from({ length: 10_000 }, () => `${names[0]}=`).join('&')
		},
		{
			label: '1 MB in every field',
			type: urlencoded,
			data: names.map((n) => `${n}=${MB}`).join('&')
		},
		{
			label: 'odd field names',
			type: urlencoded,
			data:
				'__proto__[x]=1&constructor.prototype.x=1&a[]=1&a[b][c]=1&=1&%00=1&' +
				names.map((n) => `${n}[]=1&${n}.x=1`).join('&')
		}
	];
}

async function staffRequest(
	playwright: typeof import('@playwright/test').request,
	baseURL: string,
	email: string
): Promise<APIRequestContext> {
	const context = await playwright.newContext({ baseURL });
	const signedIn = await context.post('/sign-in', {
		headers: { origin: baseURL, accept: 'text/html' },
		form: { email, password: DEMO_PASSWORD, next: '/staff' },
		maxRedirects: 0
	});
	expect(signedIn.status(), await signedIn.text()).toBe(303);
	return context;
}

/**
 * A POST by hand: a server may answer (404, 400...) before it has read a large body and then
 * close the connection, which a client that insists on sending it all sees as a reset. The
 * answer is what counts.
 */
function rawPost(
	baseURL: string,
	path: string,
	headers: Record<string, string>,
	data: string | Buffer
): Promise<{ status: number; text: string; location?: string }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(new URL(path, baseURL), { method: 'POST', headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					text: Buffer.concat(chunks).toString('utf8'),
					location: res.headers.location
				})
			);
			res.on('error', () =>
				resolve({
					status: res.statusCode ?? 0,
					text: Buffer.concat(chunks).toString('utf8'),
					location: res.headers.location
				})
			);
		});
		// after the answer has arrived, a reset changes nothing (the promise is settled)
		req.on('error', reject);
		req.end(data);
	});
}

/** Headers announcing more than BODY_SIZE_LIMIT (32M), then a trickle of the body: 413 at once. */
function oversized(baseURL: string, path: string, cookie: string): Promise<number> {
	const url = new URL(path, baseURL);
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			url,
			{
				method: 'POST',
				headers: {
					origin: baseURL,
					cookie,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': String(40 * 1024 * 1024)
				}
			},
			(res) => {
				resolve(res.statusCode ?? 0);
				res.resume();
				req.destroy();
			}
		);
		req.on('error', reject);
		req.write('a='.padEnd(64 * 1024, 'x'));
	});
}

test('every form action is covered: the route tree has actions, each with a name', () => {
	expect(ACTIONS.length).toBeGreaterThanOrEqual(20);
	expect(ACTIONS.filter((a) => a.names.length === 0).map((a) => a.id)).toEqual([]);
});

for (const route of ACTIONS) {
	test(`malformed bodies to ${route.id} are answered 4xx`, async ({ playwright, baseURL }) => {
		test.setTimeout(180_000);
		const area = route.path.split('/')[1]!;
		const persona = route.id.startsWith('/(staff)')
			? (ROUTE_PERSONA[route.id] ?? PERSONA[area])
			: undefined;
		if (route.id.startsWith('/(staff)')) expect(persona, `persona for ${route.id}`).toBeTruthy();
		const request = persona
			? await staffRequest(playwright.request, baseURL!, persona)
			: await playwright.request.newContext({ baseURL });
		const cookie = (await request.storageState()).cookies
			.map((c) => `${c.name}=${c.value}`)
			.join('; ');
		const problems: string[] = [];
		let sent = 0;
		let resets = 0;
		for (const name of route.names) {
			const target = name === 'default' ? route.path : `${route.path}?/${name}`;
			for (const body of bodies(route.fields)) {
				for (const accept of ['text/html', 'application/json']) {
					const headers: Record<string, string> = { origin: baseURL!, accept };
					if (body.type) headers['content-type'] = body.type;
					if (accept === 'application/json') headers['x-sveltekit-action'] = 'true';
					headers.cookie = cookie;
					let response = await rawPost(baseURL!, target, headers, body.data).catch(() => null);
					if (!response) resets++;
					// reset while sending: the server answered without reading it all; the same
					// request with a small body shows what that answer was
					response ??= await rawPost(
						baseURL!,
						target,
						headers,
						typeof body.data === 'string' ? body.data.slice(0, 1024) : body.data.subarray(0, 1024)
					);
					sent++;
					const text = response.text;
					// an enhanced form's answer is 200 with the outcome's status inside it
					const status =
						response.status === 200 && accept === 'application/json'
							? jsonStatus(text)
							: response.status;
					if (handled(route.id, status, response.location ?? text)) continue;
					if (
						READ_ONLY.includes(`${route.id}?/${name}`) &&
						body.type === URLENCODED &&
						status === 200
					)
						continue;
					if (status < 400 || status >= 500)
						problems.push(`${target} ${body.label} (${accept}): ${status} ${text.slice(0, 160)}`);
					else if (
						accept === 'text/html' &&
						/[A-Za-z]{4,} (expect|must|cannot|No action)/.test(text)
					)
						problems.push(`${target} ${body.label}: English message ${text.slice(0, 160)}`);
				}
			}
			const big = await oversized(baseURL!, target, cookie);
			sent++;
			// 413, or what the action answers before it reads a body at all (404 for an address
			// that names nothing, 400 for a survey of another layout...), as it does to an empty one
			const early = (
				await rawPost(
					baseURL!,
					target,
					{
						origin: baseURL!,
						cookie,
						accept: 'text/html',
						'content-type': URLENCODED
					},
					''
				)
			).status;
			if (
				big !== 413 &&
				!(big === early && ((big >= 400 && big < 500) || handled(route.id, big, LOST)))
			)
				problems.push(`${target} 40 MB body: ${big} (empty body: ${early})`);
		}
		// the reserved name and an unknown one
		for (const name of ['default', 'nosuchaction']) {
			const response = await request.post(`${route.path}?/${name}`, {
				headers: { origin: baseURL!, accept: 'text/html' },
				form: { a: '1' },
				maxRedirects: 0
			});
			sent++;
			if (response.status() < 400 || response.status() >= 500)
				problems.push(`${route.path}?/${name}: ${response.status()}`);
		}
		console.log(`${route.id}: ${route.names.length} actions, ${sent} requests, ${resets} reset`);
		expect(problems, problems.join('\n')).toEqual([]);
	});
}
