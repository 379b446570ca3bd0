import type { RequestEvent } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forget, setHearing } from '$lib/server/cache/invalidation';
import { allowPageCache, clearPageCache, handlePageCache } from '$lib/server/http/page-cache';

type Call = {
	url?: string;
	method?: string;
	cookies?: string[];
	status?: number;
	/** a `__data.json` request: SvelteKit gives the hooks the page's path and this flag */
	data?: boolean;
};

/** Runs one request through the handle; `render` stands in for SvelteKit rendering the page. */
async function request(call: Call, render: (event: RequestEvent) => Response) {
	const url = new URL(call.url ?? 'http://localhost/surveys/w');
	const event = {
		request: new Request(url, { method: call.method ?? 'GET' }),
		url,
		isDataRequest: call.data ?? false,
		cookies: { getAll: () => (call.cookies ?? []).map((name) => ({ name, value: 'x' })) },
		locals: { user: null, session: null }
	} as unknown as RequestEvent;
	const resolve = vi.fn(async (e: RequestEvent) => render(e));
	const response = await handlePageCache({ event, resolve });
	return {
		resolve,
		status: response.status,
		body: await response.text(),
		headers: response.headers
	};
}

let counter = 0;
/** A page with its token twice, that allows caching with a fresh token for each visitor. */
function page(event: RequestEvent): Response {
	const token = `token-${++counter}-abcdefgh`;
	allowPageCache(event.locals, token, (url) => (url.search ? null : `token-${++counter}-abcdefgh`));
	return new Response(`<p>${token}</p><input value="${token}">`, {
		headers: { 'content-type': 'text/html', etag: '"x"', 'cache-control': 'private, no-cache' }
	});
}

beforeEach(() => clearPageCache());

describe('the anonymous page cache', () => {
	it('serves a page without a token as it was rendered, and renders a filtered one', async () => {
		let renders = 0;
		const list = (event: RequestEvent) => {
			allowPageCache(event.locals, null, (url) => (url.search ? null : ''));
			return new Response(`<ul><li>render ${++renders}</li></ul>`);
		};
		const url = 'http://localhost/questions';
		const first = await request({ url }, list);
		const second = await request({ url }, list);
		expect(second.resolve).not.toHaveBeenCalled();
		expect(second.body).toBe(first.body);
		const filtered = await request({ url: `${url}?topic=dat-dai` }, list);
		expect(filtered.resolve).toHaveBeenCalledOnce();
		expect(filtered.body).toContain('render 2');
		expect((await request({ url }, list)).body).toBe(first.body);
	});

	it('renders once, then serves copies with a new token in every place', async () => {
		const first = await request({}, page);
		expect(first.resolve).toHaveBeenCalledOnce();
		const second = await request({}, page);
		expect(second.resolve).not.toHaveBeenCalled();
		const [a, b] = [first.body, second.body].map((body) => body.match(/token-\d+/g)!);
		expect(a![0]).toBe(a![1]);
		expect(b![0]).toBe(b![1]);
		expect(b![0]).not.toBe(a![0]);
		expect(second.headers.get('content-type')).toBe('text/html');
		expect(second.headers.get('etag')).toBeNull();
		// copies keep the page's own cache-control (handleHeaders decides it around this hook)
		for (const r of [first, second])
			expect(r.headers.get('cache-control')).toBe('private, no-cache');
	});

	it('renders anything personal or different: cookies, posts, addresses the page refuses', async () => {
		await request({}, page);
		expect((await request({ cookies: ['cv_session'] }, page)).resolve).toHaveBeenCalled();
		expect((await request({ method: 'POST' }, page)).resolve).toHaveBeenCalled();
		expect(
			(await request({ url: 'http://localhost/surveys/w?lost' }, page)).resolve
		).toHaveBeenCalled();
		expect((await request({ cookies: ['PARAGLIDE_LOCALE'] }, page)).resolve).not.toHaveBeenCalled();
	});

	it('keeps nothing from a page that did not allow it, failed, or lacks its token', async () => {
		const plain = () => new Response('<p>same</p>');
		await request({ url: 'http://localhost/a' }, plain);
		expect((await request({ url: 'http://localhost/a' }, plain)).resolve).toHaveBeenCalled();
		const missing = (e: RequestEvent) => {
			allowPageCache(e.locals, 'not-in-the-page', () => 'x');
			return new Response('<p>no token</p>', { status: 404 });
		};
		await request({ url: 'http://localhost/b' }, missing);
		expect((await request({ url: 'http://localhost/b' }, missing)).resolve).toHaveBeenCalled();
	});

	it('does not store a page rendered for an address its copy could not serve', async () => {
		await request({ url: 'http://localhost/surveys/w?lost' }, page);
		expect((await request({}, page)).resolve).toHaveBeenCalled();
	});

	it('forgets its copies when told', async () => {
		await request({}, page);
		clearPageCache();
		expect((await request({}, page)).resolve).toHaveBeenCalled();
	});

	it('never serves a page to a data request, nor a data request to a page', async () => {
		const both = (event: RequestEvent) => {
			allowPageCache(event.locals, null, (url) => (url.search ? null : ''));
			return event.isDataRequest
				? new Response('{"type":"data"}', { headers: { 'content-type': 'application/json' } })
				: new Response('<ul></ul>', { headers: { 'content-type': 'text/html' } });
		};
		const url = 'http://localhost/questions';
		for (let i = 0; i < 2; i++) {
			const data = await request({ url, data: true }, both);
			expect(data.resolve).toHaveBeenCalled();
			expect(data.body).toBe('{"type":"data"}');
			const html = await request({ url }, both);
			expect(html.body).toBe('<ul></ul>');
			expect(html.headers.get('content-type')).toBe('text/html');
		}
	});

	it('keeps the copies of two origins apart', async () => {
		const echo = (event: RequestEvent) => {
			allowPageCache(event.locals, null, () => '');
			return new Response(`<a href="${event.url.origin}/feed.xml">feed</a>`);
		};
		await request({ url: 'http://evil.example/questions' }, echo);
		const own = await request({ url: 'http://localhost/questions' }, echo);
		expect(own.resolve).toHaveBeenCalled();
		expect(own.body).toContain('http://localhost/feed.xml');
	});

	it('gives every copy a CSP nonce of its own, the same in the header and the page', async () => {
		let renders = 0;
		const withNonce = (event: RequestEvent) => {
			renders++;
			const nonce = 'rendered+nonce/abc==';
			allowPageCache(event.locals, null, () => '');
			return new Response(`<script nonce="${nonce}">x</script><script nonce="${nonce}"></script>`, {
				headers: { 'content-security-policy': `script-src 'self' 'nonce-${nonce}'` }
			});
		};
		const nonces = new Set<string>();
		for (let i = 0; i < 3; i++) {
			const r = await request({ url: 'http://localhost/questions' }, withNonce);
			const header = r.headers.get('content-security-policy')!.match(/'nonce-([^']+)'/)![1]!;
			const inPage = [...r.body.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]);
			expect(inPage).toEqual([header, header]);
			nonces.add(header);
		}
		expect(renders).toBe(1);
		expect(nonces.size).toBe(3);
	});
});

describe('the anonymous page cache on several servers', () => {
	let now = 1_000_000;
	beforeEach(() => {
		vi.spyOn(performance, 'now').mockImplementation(() => now);
	});
	afterEach(() => {
		vi.restoreAllMocks();
		setHearing('alone');
	});

	/** the questions list, rendered `renders` times so far */
	let renders = 0;
	const list = (event: RequestEvent) => {
		allowPageCache(event.locals, null, () => '');
		return new Response(`<ul>render ${++renders}</ul>`);
	};
	const url = 'http://localhost/questions';

	it('serves a copy for 5 s while it hears the other servers, for 1 s while it cannot', async () => {
		setHearing('listening');
		await request({ url }, list);
		now += 4900;
		expect((await request({ url }, list)).resolve).not.toHaveBeenCalled();
		now += 200;
		expect((await request({ url }, list)).resolve).toHaveBeenCalled();

		setHearing('deaf');
		now += 900;
		expect((await request({ url }, list)).resolve).not.toHaveBeenCalled();
		now += 200;
		expect((await request({ url }, list)).resolve).toHaveBeenCalled();
	});

	it('forgets every copy when any server announces a change', async () => {
		for (const change of [{ topic: 'questions' as const, id: 7 }, 'all' as const]) {
			await request({ url }, list);
			forget(change);
			expect((await request({ url }, list)).resolve).toHaveBeenCalled();
		}
	});

	it('does not keep a page whose rendering began before a change was announced', async () => {
		const during = (event: RequestEvent) => {
			const page = list(event);
			forget({ topic: 'questions' });
			return page;
		};
		await request({ url }, during);
		expect((await request({ url }, list)).resolve).toHaveBeenCalled();
		expect((await request({ url }, list)).resolve).not.toHaveBeenCalled();
	});
});
