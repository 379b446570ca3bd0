import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, QA_STAFF } from '../helpers';
import { chunks, PAYLOADS, visibleBit } from './corpus';
import { expectAllClean, guardedPage, pool } from './guard';
import { act, approve } from './post';
import { staffPage } from './questions';

/** The id of a created object from the redirect to its page (which may carry ?done=…). */
const createdId = (location: string) =>
	Number(new URL(location, 'http://x').pathname.split('/').pop());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** A quoted CSV cell on one line; control characters would make the file binary, not text. */
const csvCell = (text: string) =>
	`"${text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replaceAll('"', '""')}"`;

/** A CSV whose row headers (and one column header) are payloads, numbers beside them. */
function csvOf(payloads: readonly string[]) {
	const rows = [`Nội dung;${csvCell(payloads[0])};Thực hiện`];
	payloads.forEach((p, k) => rows.push(`${csvCell(p)};${k + 1};${(k * 7) % 100}`));
	return Buffer.from(rows.join('\n') + '\n');
}

async function selectValues(page: Page, name: string) {
	return page
		.locator(`select[name="${name}"] option`)
		.evaluateAll((os) =>
			os.map((o) => ({ value: o.getAttribute('value') ?? '', text: o.textContent!.trim() }))
		);
}

async function valueOf(page: Page, name: string, text?: string) {
	const options = (await selectValues(page, name)).filter((o) => o.value !== '');
	const found = text ? options.find((o) => o.text.includes(text)) : options[0];
	expect(found, `${name}: ${text}`).toBeTruthy();
	return found!.value;
}

/**
 * Disclosures with the corpus in the title, summary, Markdown body, change notes, reasons of a
 * withdrawal, CSV cells (shown as a table and a chart) and file names; each published and opened
 * on the public and the staff pages, in the list, the feed and the search.
 */
export async function disclosuresCorpus(browser: Browser) {
	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	const approver = await staffPage(browser, QA_STAFF.communeApprover);
	await official.goto('/officials/disclosures/new');
	const type = await valueOf(official, 'type', 'Tình hình thực hiện dự toán ngân sách xã hằng quý');
	const unit = await valueOf(official, 'unit', 'Xã Vị Xuyên');
	const agency = await valueOf(official, 'agency');

	const titles = chunks(300, { separator: ' ', minLength: 5 });
	const summaries = chunks(1000, { minLength: 10 });
	const bodies = [...chunks(20_000), ...chunks(3000)];
	const notes = chunks(1000, { minLength: 5 });
	const reasons = chunks(2000, { minLength: 5 });
	const count = Math.max(summaries.length, reasons.length);
	const ids: number[] = [];
	for (let k = 0; k < count; k++) {
		const files = [0, 1].map((f) => ({
			name: `${PAYLOADS[(k * 2 + f) % PAYLOADS.length]}.pdf`,
			mimeType: 'application/pdf',
			buffer: PDF
		}));
		const csv =
			k === 0
				? [
						{ name: `${PAYLOADS[0]}.csv`, mimeType: 'text/csv', buffer: csvOf(PAYLOADS) },
						{ name: 'bieu-do.csv', mimeType: 'text/csv', buffer: csvOf(PAYLOADS.slice(15, 27)) }
					]
				: [];
		const version = {
			title: titles[k % titles.length],
			summary: summaries[k % summaries.length],
			body: bodies[k % bodies.length],
			effectiveOn: '2026-01-10'
		};
		const created = await act(official.request, '/officials/disclosures/new', {
			type,
			unit,
			agency,
			period: `2025-Q${(k % 4) + 1}`,
			...version,
			files: [...files, ...csv]
		});
		const id = createdId(created.location!);
		ids.push(id);
		const url = `/officials/disclosures/${id}`;
		await act(official.request, `${url}?/save`, { ...version, submit: 'yes' });
		await approve(approver.request, url);
	}
	// the rest of the titles as corrections of the first item, each with a change note
	const first = `/officials/disclosures/${ids[0]}`;
	for (let k = count; k < titles.length; k++) {
		await act(official.request, `${first}?/correct`, { changeNote: notes[k % notes.length] });
		await act(official.request, `${first}?/save`, {
			title: titles[k],
			summary: summaries[k % summaries.length],
			body: bodies[k % bodies.length],
			effectiveOn: '2026-01-10',
			changeNote: notes[(k + 1) % notes.length],
			submit: 'yes'
		});
		await approve(approver.request, first);
	}
	for (let k = 0; k < reasons.length; k++) {
		await act(approver.request, `/officials/disclosures/${ids[k + 1]}?/withdraw`, {
			reason: reasons[k]
		});
	}

	const reader = await guardedPage(browser);
	const publicPaths = [
		...ids.map((id, k) => ({
			path: `/disclosures/${id}`,
			shows: visibleBit(summaries[k % summaries.length])
		})),
		// with a query: the plain list may be a copy up to 5 s old (the anonymous page cache)
		{ path: '/disclosures?page=1', shows: visibleBit(summaries[count - 1]) },
		{ path: '/disclosures?page=2' },
		{ path: '/disclosures/feed.xml' },
		{ path: '/disclosures/compliance' },
		...chunks(200, { separator: ' ' })
			.filter((_, k) => k % 8 === 0)
			.map((q) => ({ path: `/disclosures?q=${encodeURIComponent(q)}` }))
	];
	const staffPaths = [
		...ids.map((id) => ({ path: `/officials/disclosures/${id}` })),
		{ path: '/officials/disclosures' }
	];
	await Promise.all([
		expectAllClean(await pool(reader, 2), publicPaths),
		expectAllClean(await pool(official, 2), staffPaths)
	]);
	// the table of every payload is on the first item's page, as text
	await expectAllClean(
		[reader],
		[
			{
				path: `/disclosures/${ids[0]}`,
				shows: PAYLOADS.slice(0, 40)
					.filter((p) => !/[\s\p{C}]/u.test(p))
					.slice(0, 10)
			}
		]
	);
	return {
		items: ids.length,
		versions: titles.length - count + ids.length,
		pages: publicPaths.length + staffPaths.length
	};
}

/**
 * Improvement plans with the corpus in the plan's title and legal reference, the tasks' text,
 * partners, timeline, target and output, and the progress reports (text, evidence links, note).
 */
export async function plansCorpus(browser: Browser) {
	const owner = await staffPage(browser, DEMO.official);
	await owner.goto('/officials/plans');
	const unit = await valueOf(owner, 'unit', 'Tỉnh Tuyên Quang');
	const agency = await valueOf(owner, 'agency', 'Sở Nội vụ');
	const instrument = await valueOf(owner, 'instrument', 'PAPI');
	const titles = chunks(300, { separator: ' ', minLength: 5 });
	const refs = chunks(300, { separator: ' ' });
	const plans: number[] = [];
	for (let k = 0; k < titles.length; k++) {
		const created = await act(owner.request, '/officials/plans', {
			title: titles[k],
			unit,
			agency,
			instrument,
			yearFrom: '2026',
			yearTo: '2027',
			legalRef: refs[k % refs.length],
			frequency: 'quarterly',
			weakBelow: '50'
		});
		plans.push(createdId(created.location!));
	}
	// a plan starts as a draft: Sở Nội vụ's leader adopts each, so the public pages show them
	// too, and reports are owed from this quarter on
	const leader = await staffPage(browser, 'lanhdao.noivu@demo.civicvoice.vn');
	for (const id of plans)
		await act(leader.request, `/officials/plans/${id}?/status`, { status: 'active' });
	const today = new Date();
	const quarter = `${today.getFullYear()}-Q${Math.floor(today.getMonth() / 3) + 1}`;
	const plan = `/officials/plans/${plans[0]}`;
	await owner.goto(`${plan}/tasks/new`);
	const measure = await valueOf(owner, 'measure');
	const lead = await valueOf(owner, 'lead', 'Sở Nội vụ');
	const tasks = chunks(2000, { minLength: 5 });
	const longer = chunks(1000);
	const timelines = chunks(300, { separator: ' ' });
	const count = Math.max(tasks.length, longer.length);
	for (let k = 0; k < count; k++) {
		await act(owner.request, `${plan}/tasks/new`, {
			measure,
			title: tasks[k % tasks.length],
			lead,
			cooperating: longer[k % longer.length],
			timeline: timelines[k % timelines.length],
			target: longer[(k + 1) % longer.length],
			output: longer[(k + 2) % longer.length]
		});
	}
	await owner.goto(plan);
	// resolved paths: the server renders resolve()'s links relative to the page ('../../officials/…'),
	// and whether hydration has made them absolute yet is a race
	const paths = await owner
		.locator('a[href]')
		.evaluateAll((as) => [
			...new Set(as.map((a) => new URL((a as HTMLAnchorElement).href).pathname))
		]);
	const taskPaths = paths.filter((h) => h.startsWith(`${plan}/tasks/`) && /\/tasks\/\d+$/.test(h));
	expect(taskPaths.length).toBeGreaterThanOrEqual(count);
	// progress reports on the first tasks, one period each
	const progress = chunks(5000, { minLength: 5 });
	const internal = chunks(2000);
	const links = chunks(2000, {
		payloads: PAYLOADS.filter((p) => !/[\s\p{C}]/u.test(p)).map((p) => `https://example.org/${p}`)
	});
	const reports = Math.max(progress.length, internal.length, links.length);
	for (let k = 0; k < reports; k++) {
		await act(owner.request, `${taskPaths[k % taskPaths.length]}?/report`, {
			period: quarter,
			percent: String(10 * k),
			progress: progress[k % progress.length],
			links: links[k % links.length],
			internalNote: internal[k % internal.length],
			files: { name: `${PAYLOADS[k]}.pdf`, mimeType: 'application/pdf', buffer: PDF }
		});
	}
	const reader = await guardedPage(browser);
	const publicPaths = [
		{ path: '/plans' },
		...plans.slice(0, 3).map((id) => ({ path: `/plans/${id}` }))
	];
	const staffPaths = [
		{ path: '/officials/plans' },
		...plans.map((id) => ({ path: `/officials/plans/${id}` })),
		...taskPaths.map((path) => ({ path })),
		{ path: `${plan}/report?period=2026-Q1` },
		{ path: `${plan}/report?period=2026-Q2` },
		{ path: `${plan}/report?period=2026-Q3` }
	];
	await Promise.all([
		expectAllClean(await pool(reader, 2), publicPaths),
		expectAllClean(await pool(owner, 2), staffPaths)
	]);
	return {
		plans: plans.length,
		tasks: taskPaths.length,
		reports,
		pages: publicPaths.length + staffPaths.length
	};
}
