import { readFile } from 'node:fs/promises';
import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, unique } from '../helpers';
import { answerAll } from '../survey-helpers';
import { chunks, PAYLOADS, visibleBit } from './corpus';
import { expectAllClean, expectClean, expectNothingRan, guardedPage, pool } from './guard';
import { act } from './post';
import { staffPage } from './questions';

type Text = { vi: string; en: string };
interface Spec {
	slug: string;
	title: Text;
	description: Text;
	consent: Text;
	sections: {
		title: Text;
		intro?: Text;
		parts: {
			title?: Text;
			questions: {
				code: string;
				type: string;
				text: Text;
				help?: Text;
				unit?: Text;
				options?: { label: Text }[];
			}[];
		}[];
	}[];
}

/**
 * Puts the corpus into every text of the instrument: its title, description and consent, the
 * sections' titles and introductions, the parts' titles, the questions' texts, help texts and
 * units, and the options' labels. Each text is a label (`Q7·stamp`, to find it in a page) and one
 * payload; the Vietnamese texts run through the corpus from the start, the English ones from its
 * middle, so each language carries every payload at least once.
 */
function corpusInstrument(spec: Spec, stamp: string) {
	let vi = 0;
	let en = Math.floor(PAYLOADS.length / 2);
	let slots = 0;
	let each = 1;
	const take = (from: number) =>
		Array.from({ length: each }, (_, k) => PAYLOADS[(from + k) % PAYLOADS.length]).join(' ');
	const text = (label: string): Text => {
		slots++;
		const tag = `${label}·${stamp}`;
		const t = { vi: `${tag} ${take(vi)}`, en: `${tag} ${take(en)}` };
		vi += each;
		en += each;
		return t;
	};
	const fill = () => {
		spec.title = text('T');
		spec.title.vi = `Phiếu XSS ${spec.title.vi}`;
		spec.description = text('D');
		spec.consent = text('C');
		spec.sections.forEach((s, si) => {
			s.title = text(`S${si}`);
			s.intro = text(`I${si}`);
			s.parts.forEach((p, pi) => {
				p.title = text(`P${si}.${pi}`);
				for (const q of p.questions) {
					q.text = text(`Q-${q.code}`);
					q.help = text(`H-${q.code}`);
					if (q.type === 'number') q.unit = text(`U-${q.code}`);
					q.options?.forEach((o, oi) => (o.label = text(`O${oi}-${q.code}`)));
				}
			});
		});
	};
	// count the texts, then give each enough payloads for the whole corpus in each language
	fill();
	each = Math.ceil(PAYLOADS.length / slots);
	[vi, en, slots] = [0, Math.floor(PAYLOADS.length / 2), 0];
	fill();
	expect(vi, 'every payload in an instrument text').toBeGreaterThanOrEqual(PAYLOADS.length);
	const codes = spec.sections
		.flatMap((s) => s.parts.flatMap((p) => p.questions))
		.map((q) => q.code);
	return { spec, slots, codes };
}

async function linkTo(page: Page, prefix: string, text: string) {
	const href = await page
		.locator(`a[href^="${prefix}"]`)
		.filter({ hasText: text })
		.first()
		.getAttribute('href');
	expect(href, `a link to ${text}`).toBeTruthy();
	return href!;
}

/**
 * An instrument with the corpus in every text (imported as JSON, then edited through the
 * question editor), opened on the staff pages (list, instrument, preview, every question's
 * editor); published, put into a public wave whose titles carry the corpus too, answered by a
 * citizen (with payloads in the open answers) in both languages, and shown in the analytics.
 * The wave is closed at the end whatever happens.
 */
export async function surveysCorpus(browser: Browser) {
	const stamp = unique();
	const seed = JSON.parse(await readFile('seeds/instruments/sipas.json', 'utf8')) as Spec;
	seed.slug = `xss-${stamp}`;
	const { spec, slots, codes } = corpusInstrument(seed, stamp);
	const analyst = await staffPage(browser, DEMO.analyst);
	await act(analyst.request, '/fieldwork?/import', {
		file: {
			name: 'phieu.json',
			mimeType: 'application/json',
			buffer: Buffer.from(JSON.stringify(spec))
		}
	});
	await expectClean(analyst, '/fieldwork', `T·${stamp}`);
	const instrument = await linkTo(analyst, '/fieldwork/instruments/', `T·${stamp}`);
	const staffPaths = [
		{ path: instrument, shows: [`T·${stamp}`, `S1·${stamp}`, `Q-${codes[0]}·${stamp}`] },
		{
			path: `${instrument}/preview?version=1`,
			shows: [`C·${stamp}`, `I1·${stamp}`, `P1.0·${stamp}`, `H-${codes[2]}·${stamp}`]
		},
		...codes.map((code) => ({ path: `${instrument}/questions/${code}` }))
	];
	await expectAllClean(await pool(analyst, 2), staffPaths);

	// published; the question editor then saves the corpus again, as a draft of version 2
	await act(analyst.request, `${instrument}?/publish`, {});
	const edits = chunks(2000, { minLength: 1 });
	const edited = spec.sections[1].parts[0].questions[0];
	for (let k = 0; k + 1 < edits.length; k += 2) {
		const fields: Record<string, string> = {
			text_vi: edits[k],
			text_en: edits[k + 1],
			help_vi: edits[k + 1],
			help_en: edits[k],
			required: 'yes',
			scored: 'yes',
			option_rows: String(edited.options!.length)
		};
		edited.options!.forEach((o, i) => {
			const option = o as unknown as { code: string; score: number | null; missing?: string };
			fields[`o${i}_order`] = String(i + 1);
			fields[`o${i}_code`] = option.code;
			fields[`o${i}_vi`] = edits[(k + i) % edits.length].slice(0, 500);
			fields[`o${i}_en`] = edits[(k + i + 1) % edits.length].slice(0, 500);
			fields[`o${i}_score`] = option.score === null ? '' : String(option.score);
			fields[`o${i}_missing`] = option.missing ?? '';
		});
		await act(analyst.request, `${instrument}/questions/${edited.code}`, fields);
	}
	await expectAllClean(
		[analyst],
		[
			{ path: `${instrument}/questions/${edited.code}` },
			{ path: `${instrument}/preview?version=2` },
			{ path: instrument }
		]
	);

	// the analytics reference: official results (their source) and targets (their note) on the
	// measures of this instrument, whose titles are the corpus too
	const instrumentId = /instruments\/(\d+)/.exec(instrument)![1];
	await analyst.goto('/analytics/reference');
	const measures = [
		...new Set(
			await analyst
				.locator('select[name="measureRef"] option')
				.evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''))
		)
	].filter((v) => v.startsWith(`${instrumentId}:`));
	expect(measures.length, "the instrument's measures").toBeGreaterThan(0);
	const sources = chunks(300, { separator: ' ' });
	for (const [k, source] of sources.entries()) {
		await act(analyst.request, '/analytics/reference?/official', {
			measureRef: measures[k % measures.length],
			year: String(2009 + Math.floor(k / measures.length)),
			value: '50',
			source
		});
	}
	// a measure has one target: every round of notes is looked at before the next replaces it
	const notes = chunks(300, { separator: ' ' });
	for (let k = 0; k < notes.length; k++) {
		await act(analyst.request, '/analytics/reference?/target', {
			measureRef: measures[k % measures.length],
			value: '60',
			note: notes[k]
		});
		if ((k + 1) % measures.length === 0 || k + 1 === notes.length)
			await expectClean(analyst, '/analytics/reference', visibleBit(notes[k]));
	}

	// waves: one public wave, with a title that says what it is; the other titles on drafts
	await analyst.goto('/fieldwork/waves/new');
	const version = await analyst
		.locator('select[name="versionId"] option', { hasText: `T·${stamp}` })
		.first()
		.getAttribute('value');
	expect(version, 'the published version').toBeTruthy();
	const titles = chunks(200, { separator: ' ', minLength: 1 });
	const wave = async (slug: string, titleVi: string, titleEn: string, accessMode: string) => {
		const created = await act(analyst.request, '/fieldwork/waves/new', {
			slug,
			titleVi,
			titleEn,
			versionId: version!,
			layout: 'paged',
			accessMode,
			units: '08'
		});
		return /\/fieldwork\/waves\/(\d+)$/.exec(created.location ?? '')![1];
	};
	const publicTitle = `Đợt thử XSS ${stamp} ${PAYLOADS[0]}`.slice(0, 200);
	const slug = `xss-${stamp}`;
	const open = await wave(slug, publicTitle, titles[0], 'open');
	const drafts: string[] = [];
	for (let k = 1; k < titles.length; k += 2) {
		drafts.push(
			await wave(`xss-${stamp}-${k}`, titles[k], titles[k + 1] ?? titles[0], 'invitation')
		);
	}
	const fieldwork = `/fieldwork/waves/${open}`;
	await act(analyst.request, `${fieldwork}?/open`, {});
	try {
		const citizen = await guardedPage(browser);
		const english = await guardedPage(browser);
		await english
			.context()
			.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: new URL(analyst.url()).origin }]);
		await expectAllClean(
			[citizen],
			[
				{ path: `/surveys/${slug}`, shows: [`C·${stamp}`] },
				{ path: '/surveys', shows: `XSS ${stamp}` }
			]
		);
		await expectClean(english, `/surveys/${slug}`, [`C·${stamp}`]);

		// a citizen answers every page, open answers with the corpus, and sends
		await respond(citizen, slug, stamp);
		await respond(english, slug, stamp);

		const analytics = `/analytics/waves/${open}`;
		await expectAllClean(await pool(analyst, 2), [
			{ path: fieldwork, shows: `XSS ${stamp}` },
			...drafts.map((id) => ({ path: `/fieldwork/waves/${id}` })),
			{ path: '/fieldwork' },
			{ path: analytics, shows: `XSS ${stamp}` },
			{ path: `${analytics}/questions`, shows: [`XSS ${stamp}`, `O0-gender·${stamp}`] },
			{ path: '/analytics' },
			{ path: '/analytics/reference', shows: [`S1·${stamp}`, visibleBit(sources[0])] }
		]);
	} finally {
		await act(analyst.request, `${fieldwork}?/close`, {});
	}
	return {
		texts: slots * 2,
		questions: codes.length,
		waves: drafts.length + 1,
		edits: edits.length
	};
}

/** Answers the wave page by page, the open answers with payloads, checking every page. */
async function respond(page: Page, slug: string, stamp: string) {
	await page.goto(`/surveys/${slug}`);
	await page.getByLabel(/Tôi đã đọc thông tin trên|I have read the information above/).check();
	await page.getByRole('button', { name: /^(Bắt đầu trả lời|Start)$/ }).click();
	await expect(page).toHaveURL(/\/step\/\d+$/);
	const answers = chunks(200, { separator: ' ' });
	let next = 0;
	for (let guard = 0; guard < 40 && /\/step\/\d+/.test(page.url()); guard++) {
		await expectNothingRan(page, page.url(), `·${stamp}`);
		await answerAll(page);
		const open = page.locator('[data-question] textarea, [data-question] input[type=text]');
		for (const field of await open.all()) {
			if (!(await field.isVisible()) || (await field.getAttribute('inputmode'))) continue;
			const max = Number((await field.getAttribute('maxlength')) ?? 200);
			await field.fill(answers[next++ % answers.length].slice(0, max));
		}
		const before = page.url();
		await page.getByRole('button', { name: /^(Tiếp tục|Next)$/ }).click();
		await expect(page).not.toHaveURL(before);
	}
	await expect(page).toHaveURL(/\/review$/);
	await expectNothingRan(page, page.url(), `·${stamp}`);
	await page.getByRole('button', { name: /^(Gửi phiếu khảo sát|Send the questionnaire)$/ }).click();
	await expect(page).toHaveURL(/\/thanks/);
	await expectNothingRan(page, page.url());
}
