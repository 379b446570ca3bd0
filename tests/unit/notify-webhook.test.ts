import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Message } from '$lib/server/notify/message';
import { webhookTransport } from '$lib/server/notify/webhook';

const SECRET = 'a-webhook-secret-of-the-province-0123456789';

const message: Message = {
	kind: 'question.answered',
	lang: 'vi',
	to: { email: 'nguoi.hoi@example.vn', phone: '0912 345 678', name: 'Nguyễn Văn Hỏi' },
	subject: 'Câu hỏi HD-AB12-CD34 đã được trả lời',
	lines: ['Sở Nội vụ đã trả lời câu hỏi của ông/bà.'],
	link: { href: 'https://phananh.example.gov.vn/hoi-dap/HD-AB12-CD34', label: 'Đọc câu trả lời' },
	text: '',
	html: ''
};

/** The schema the documentation publishes, read as a gateway would read it. */
const payloadSchema = z.fromJSONSchema(
	JSON.parse(readFileSync('docs/notify-webhook.schema.json', 'utf8'))
);

/** How docs/notify-webhook.md tells a gateway to check a request. */
function verify(secret: string, headers: IncomingHttpHeaders, body: string, maxAgeSeconds = 300) {
	const timestamp = String(headers['x-civicvoice-timestamp'] ?? '');
	const given = String(headers['x-civicvoice-signature'] ?? '').replace(/^sha256=/, '');
	const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
	const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= maxAgeSeconds;
	return (
		fresh &&
		given.length === expected.length &&
		timingSafeEqual(Buffer.from(given), Buffer.from(expected))
	);
}

type Received = { method: string; headers: IncomingHttpHeaders; body: string };

describe('the SMS/Zalo webhook', () => {
	let server: Server;
	let url: string;
	const received: Received[] = [];
	let answer = 200;

	beforeAll(async () => {
		server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({
					method: req.method!,
					headers: req.headers,
					body: Buffer.concat(chunks).toString('utf8')
				});
				res.writeHead(answer, answer === 302 ? { location: '/elsewhere' } : {}).end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('posts one signed JSON message that the published schema accepts', async () => {
		received.length = 0;
		await webhookTransport({ url, secret: SECRET }).send(message, '42');
		expect(received).toHaveLength(1);
		const [req] = received;
		expect(req!.method).toBe('POST');
		expect(req!.headers['content-type']).toBe('application/json');
		expect(req!.headers['idempotency-key']).toBe('42');
		expect(verify(SECRET, req!.headers, req!.body)).toBe(true);
		// a changed body, another secret or an old timestamp do not pass
		expect(verify(SECRET, req!.headers, req!.body.replace('0912', '0913'))).toBe(false);
		expect(verify('another-secret', req!.headers, req!.body)).toBe(false);
		expect(verify(SECRET, req!.headers, req!.body, -1)).toBe(false);

		const payload = JSON.parse(req!.body);
		expect(payloadSchema.safeParse(payload).success).toBe(true);
		expect(payload).toEqual({
			id: '42',
			kind: 'question.answered',
			lang: 'vi',
			phone: '0912 345 678',
			text:
				'Câu hỏi HD-AB12-CD34 đã được trả lời\nSở Nội vụ đã trả lời câu hỏi của ông/bà.\n' +
				'https://phananh.example.gov.vn/hoi-dap/HD-AB12-CD34'
		});
		// the phone only: not the e-mail address nor the name the asker gave
		expect(req!.body).not.toContain('example.vn>');
		expect(req!.body).not.toContain('nguoi.hoi');
		expect(req!.body).not.toContain('Nguyễn Văn Hỏi');
	});

	it('the schema refuses what a gateway could not send', () => {
		const good = { id: '1', kind: 'k', lang: 'vi', phone: '0912345678', text: 'x' };
		expect(payloadSchema.safeParse(good).success).toBe(true);
		for (const bad of [
			{ ...good, phone: undefined },
			{ ...good, lang: 'fr' },
			{ ...good, id: 'abc' },
			{ ...good, extra: true }
		])
			expect(payloadSchema.safeParse(bad).success).toBe(false);
	});

	it('sends the same id and Idempotency-Key on every try, signed afresh', async () => {
		received.length = 0;
		const transport = webhookTransport({ url, secret: SECRET });
		await transport.send(message, '7');
		await transport.send(message, '7');
		expect(received.map((r) => r.headers['idempotency-key'])).toEqual(['7', '7']);
		expect(received.map((r) => JSON.parse(r.body).id)).toEqual(['7', '7']);
		expect(received.every((r) => verify(SECRET, r.headers, r.body))).toBe(true);
	});

	it('throws when the gateway does not answer 2xx, so the worker tries again later', async () => {
		const transport = webhookTransport({ url, secret: SECRET });
		for (const status of [500, 429, 400, 302]) {
			answer = status;
			await expect(transport.send(message, '9')).rejects.toThrow(`webhook answered ${status}`);
		}
		answer = 204;
		await expect(transport.send(message, '9')).resolves.toBeUndefined();
		answer = 200;
	});
});
