import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, QA_STAFF, signIn } from '../helpers';
import { chunks, PAYLOADS, visibleBit } from './corpus';
import { expectAllClean, expectClean, guardedPage, pool } from './guard';
import { act, actFrom, approve } from './post';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
/** Each loopback address may ask this many (QUESTIONS_PER_HOUR's default, kept). */
const PER_ADDRESS = 10;

export async function staffPage(browser: Browser, email: string): Promise<Page> {
	const page = await guardedPage(browser);
	await signIn(page, email);
	return page;
}

async function optionValue(page: Page, label: string, option: string) {
	const value = await page
		.getByLabel(label, { exact: true })
		.locator('option', { hasText: option })
		.first()
		.getAttribute('value');
	expect(value, `${label}: ${option}`).toBeTruthy();
	return value!;
}

interface Asked {
	index: number;
	token: string;
	code: string;
	id: number;
	title: string;
}

/**
 * The question flow with the corpus in every field: the ask form (title, question, name, file
 * names), the moderator (public wording, request for detail, reason of a rejection), the asker
 * (detail, rating comment, reason to reopen), the official (Markdown reply, internal note) and
 * the approver (note when a draft is returned). Then every page that shows them.
 */
export async function questionsCorpus(browser: Browser) {
	const citizen = await guardedPage(browser);
	await expectClean(citizen, '/questions/ask');
	const topic = await optionValue(citizen, 'Lĩnh vực', 'Đất đai');
	const unit = await optionValue(citizen, 'Địa bàn', 'Xã Vị Xuyên');
	const agency = await optionValue(
		citizen,
		'Cơ quan bạn muốn hỏi (nếu biết)',
		'Ủy ban nhân dân xã Vị Xuyên'
	);

	const titles = chunks(200, { separator: ' ', minLength: 10 });
	const names = chunks(100, { separator: ' ' });
	const bodies = chunks(5000, { minLength: 20 });
	const askCount = Math.max(titles.length, bodies.length);

	// ask, each group of ten from its own loopback address
	const asked: Omit<Asked, 'code' | 'id'>[] = [];
	for (let i = 0; i < askCount; i++) {
		const address = `127.0.40.${2 + Math.floor(i / PER_ADDRESS)}`;
		const files = [0, 1, 2].map((k) => ({
			name: `${PAYLOADS[(i * 3 + k) % PAYLOADS.length]}.pdf`,
			mimeType: 'application/pdf',
			buffer: PDF
		}));
		const title = titles[i % titles.length];
		const result = await actFrom(address, '/questions/ask?/ask', {
			topic,
			unit,
			agency,
			title,
			body: bodies[i % bodies.length],
			name: names[i % names.length],
			email: '',
			phone: '',
			files
		});
		const token = /\/questions\/track\/([^?/]+)/.exec(result.location ?? '')?.[1];
		expect(token, JSON.stringify(result)).toBeTruthy();
		asked.push({ index: i, token: token!, title });
	}

	// the moderator's queue: every new question, its code and case number (found by its code: the
	// queue is paged, oldest first)
	const moderator = await staffPage(browser, DEMO.moderator);
	const cases: Asked[] = [];
	for (const a of asked) {
		const html = await (await citizen.request.get(`/questions/track/${a.token}`)).text();
		const code = /HD-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(html)?.[0];
		expect(code, `the tracking page of ${a.token}`).toBeTruthy();
		const queue = await (
			await moderator.request.get(`/officials/questions?q=${encodeURIComponent(code!)}`)
		).text();
		const id = new RegExp(`questions/(\\d+)"[^>]*>\\s*${code}`).exec(queue)?.[1];
		expect(id, `${code} in the queue`).toBeTruthy();
		cases.push({ ...a, code: code!, id: Number(id) });
	}
	await expectClean(
		moderator,
		`/officials/questions?q=${encodeURIComponent(cases[0]!.code)}`,
		visibleBit(titles[0])
	);

	const requests = chunks(2000, { minLength: 5 });
	const details = chunks(3000, { minLength: 5 });
	const reasons = chunks(2000, { minLength: 5 });
	const comments = chunks(1000);
	const reopens = chunks(1000, { minLength: 5 });
	const replies = chunks(3000, { minLength: 10 });
	const notes = chunks(4000);
	const returns = chunks(2000, { minLength: 3 });

	const caseUrl = (c: Asked) => `/officials/questions/${c.id}`;
	const trackUrl = (c: Asked) => `/questions/track/${c.token}`;
	const rejected = cases.slice(0, Math.max(requests.length, reasons.length, details.length));
	const accepted = cases.slice(rejected.length);
	const answeredCount = comments.length + reopens.length;
	expect(accepted.length, 'enough questions to answer').toBeGreaterThan(answeredCount);

	// request for detail, the asker's detail, then a rejection with a reason
	for (const [k, c] of rejected.entries()) {
		await act(moderator.request, `${caseUrl(c)}?/info`, { request: requests[k % requests.length] });
		await act(citizen.request, `${trackUrl(c)}?/more`, { detail: details[k % details.length] });
		await act(moderator.request, `${caseUrl(c)}?/reject`, { reason: reasons[k % reasons.length] });
	}
	// accepted with the public wording, routed to the commune
	for (const [k, c] of accepted.entries()) {
		await act(moderator.request, `${caseUrl(c)}?/accept`, {
			topic,
			agencies: agency,
			publicTitle: c.title,
			publicBody: bodies[(c.index + k) % bodies.length]
		});
	}

	// the commune drafts, the approver returns drafts with notes on one case, then publishes
	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	const approver = await staffPage(browser, QA_STAFF.communeApprover);
	const busy = accepted[accepted.length - 1];
	for (const note of notes) await act(official.request, `${caseUrl(busy)}?/note`, { note });
	for (const [k, returnNote] of returns.entries()) {
		await act(official.request, `${caseUrl(busy)}?/draft`, {
			body: replies[k % replies.length],
			submit: 'yes'
		});
		await act(approver.request, `${caseUrl(busy)}?/return`, { returnNote });
	}
	const answered = accepted.slice(0, answeredCount);
	const markdown = chunks(20_000, { minLength: 10 });
	for (const [k, c] of answered.entries()) {
		const body = k < markdown.length ? markdown[k] : replies[k % replies.length];
		await act(official.request, `${caseUrl(c)}?/draft`, { body, submit: 'yes' });
		await approve(approver.request, caseUrl(c));
	}
	// the asker rates some answers and reopens others
	for (const [k, c] of answered.entries()) {
		if (k < comments.length) {
			await act(citizen.request, `${trackUrl(c)}?/rate`, {
				rating: k % 2 ? 'satisfied' : 'unsatisfied',
				comment: comments[k]
			});
		} else {
			await act(citizen.request, `${trackUrl(c)}?/reopen`, {
				reason: reopens[k - comments.length]
			});
		}
	}

	// every page that shows them: the asker's, the staff's and the public's
	const pages = Math.ceil(accepted.length / 20) + 1;
	const searches = chunks(200, { separator: ' ' }).filter((_, k) => k % 8 === 0);
	const publicPaths = [
		...cases.map((c) => ({ path: trackUrl(c), shows: visibleBit(c.title) })),
		...accepted.map((c) => ({ path: `/questions/${c.code}`, shows: visibleBit(c.title) })),
		...Array.from({ length: pages }, (_, p) => ({ path: `/questions?page=${p + 1}` })),
		{ path: '/questions/stats' },
		{ path: '/questions/feed.xml' },
		// what a visitor types into the search box comes back in the page
		...searches.map((q) => ({ path: `/questions?q=${encodeURIComponent(q)}` }))
	];
	const staffPaths = [
		...cases.map((c) => ({ path: caseUrl(c), shows: visibleBit(c.title) })),
		{ path: '/officials/questions?view=open' }
	];
	await Promise.all([
		expectAllClean(await pool(citizen, 2), publicPaths),
		expectAllClean(await pool(moderator, 2), staffPaths),
		expectAllClean([official], [{ path: caseUrl(busy) }, { path: '/officials/questions' }]),
		expectAllClean([approver], [{ path: caseUrl(answered[0]) }])
	]);
	return { asked: cases.length, pages: publicPaths.length + staffPaths.length + 3 };
}
