import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxTransport } from '$lib/server/notify/email';
import { listMailbox, readMailboxMessage } from '$lib/server/notify/mailbox';
import { compose, type Content, type Message } from '$lib/server/notify/message';

function message(subject: string, email: string, extra: Partial<Content> = {}): Message {
	const content: Content = {
		subject,
		lines: [
			'Câu hỏi của ông/bà đã được tiếp nhận.',
			'Mã tra cứu: HD-AB12-CD34 <b>không in đậm</b>'
		],
		link: { href: 'http://localhost:5173/questions/private/abc', label: 'Theo dõi câu hỏi' },
		...extra
	};
	return {
		...content,
		...compose(content, 'vi'),
		kind: 'test.kind',
		lang: 'vi',
		to: { email, phone: null, name: 'Nguyễn Văn Hỏi' }
	};
}

describe('the development mailbox', () => {
	let dir: string;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'cv-mailbox-'));
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));

	it('is empty when nothing was written (the folder need not exist)', async () => {
		expect(await listMailbox(join(dir, 'none'))).toEqual([]);
	});

	it('lists what mailboxTransport wrote, newest first, and shows one message', async () => {
		const box = mailboxTransport(dir);
		await box.send(message('Đã nhận câu hỏi HD-AB12-CD34', 'hoi@example.vn'), '1');
		await box.send(
			message('Câu hỏi HD-AB12-CD34 đã được trả lời', 'hoi@example.vn', {
				unsubscribe: 'http://localhost:5173/stop/x'
			}),
			'2'
		);
		await writeFile(join(dir, 'notes.txt'), 'not a message');

		const list = await listMailbox(dir);
		expect(list.map((m) => m.subject)).toEqual([
			'Câu hỏi HD-AB12-CD34 đã được trả lời',
			'Đã nhận câu hỏi HD-AB12-CD34'
		]);
		expect(list[0]!.to).toBe('"Nguyễn Văn Hỏi" <hoi@example.vn>');
		expect(Date.now() - Date.parse(list[0]!.date!)).toBeLessThan(60_000);
		expect((await readdir(dir)).filter((f) => f.endsWith('.eml'))).toHaveLength(2);

		const shown = await readMailboxMessage(dir, list[0]!.id);
		expect(shown?.text).toContain('Theo dõi câu hỏi: http://localhost:5173/questions/private/abc');
		// what the official wrote is text in the HTML part, never markup
		expect(shown?.html).toContain('&lt;b&gt;không in đậm&lt;/b&gt;');
		expect(shown?.headers.join('\n')).toMatch(
			/^List-Unsubscribe: <http:\/\/localhost:5173\/stop\/x>/m
		);
		expect(shown?.headers.join('\n')).toMatch(/^Message-ID: <notification-2@localhost>/m);
	});

	it('reads nothing outside the mailbox and answers null for a message that is not there', async () => {
		for (const id of ['../secret.eml', '/etc/passwd', 'notes.txt', 'a/b.eml', '', 'missing.eml'])
			expect(await readMailboxMessage(dir, id), id).toBeNull();
	});
});
