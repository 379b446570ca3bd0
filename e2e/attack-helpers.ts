import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { signIn } from './helpers';

/** Every file under src/routes whose name is `name`, with its route id and source. */
export function routeFiles(name: '+server.ts' | '+page.server.ts') {
	const root = join(process.cwd(), 'src', 'routes');
	const found: { id: string; source: string }[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name === name) {
				const id = '/' + relative(root, dir).split(sep).join('/');
				found.push({
					id: id === '/' ? '/' : id.replace(/\/$/, ''),
					source: readFileSync(path, 'utf8')
				});
			}
		}
	};
	walk(root);
	return found.sort((a, b) => a.id.localeCompare(b.id));
}

/** A signed-in page in a context of its own. */
export async function staffPage(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

export type PostBody = Pick<
	NonNullable<Parameters<APIRequestContext['post']>[1]>,
	'form' | 'multipart' | 'data'
>;

/** Posts to a form action as an enhanced form does, and returns SvelteKit's JSON answer. */
export async function postAction(
	request: APIRequestContext,
	baseURL: string,
	path: string,
	action: string,
	body: PostBody
): Promise<{ type: string; status: number; location?: string; data?: string }> {
	const response = await request.post(action === 'default' ? path : `${path}?/${action}`, {
		headers: { origin: baseURL, accept: 'application/json', 'x-sveltekit-action': 'true' },
		...body,
		maxRedirects: 0
	});
	expect(response.status(), `${path}?/${action}: ${await response.text()}`).toBeLessThan(500);
	return response.json();
}

/** Quotes a value for a `;`-separated CSV as the app's importers read it. */
export function csvCell(value: string): string {
	return /[;",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Payloads a spreadsheet would run as a formula (OWASP's CSV injection list), some behind
 * whitespace or quotes that a spreadsheet's import may strip.
 */
export const FORMULAS = [
	'=HYPERLINK("http://x.example/a","bấm")',
	"+cmd|' /C calc'!A0",
	'-2+3',
	'@SUM(A1)',
	'\t=1+HYPERLINK("http://x.example/tab")',
	'\r=1+HYPERLINK("http://x.example/cr")',
	'  =HYPERLINK("http://x.example/space")',
	'"=HYPERLINK(""http://x.example/quote"")"',
	'=cmd|"/c calc"!A1'
] as const;

/** A negative number is a number: written as such, it is safe and must stay readable. */
const NUMBER = /^-?\d+(?:[.,]\d+)?(?:e[-+]?\d+)?$/i;

/**
 * The cells a spreadsheet would run: starting with = + - @, a tab or carriage return (or any other
 * control character), also after leading spaces, unless the cell is a plain number. A cell
 * neutralised by the app starts with an apostrophe and passes.
 */
export function formulaCells(rows: readonly (readonly string[])[]): string[] {
	const bad: string[] = [];
	rows.forEach((row, r) =>
		row.forEach((cell, c) => {
			if (NUMBER.test(cell)) return;
			// eslint-disable-next-line no-control-regex
			if (/^[\s\u0000-\u001f]*[=+\-@]/.test(cell) || /^[\u0000-\u001f]/.test(cell))
				bad.push(`row ${r + 1} column ${c + 1}: ${JSON.stringify(cell)}`);
		})
	);
	return bad;
}
