import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { mailDir } from '../../playwright.config';

export type Mail = ParsedMail & { envelopeTo: string[]; file: string };

/** Every message the portal has sent in this run, oldest first. */
export async function allMail(): Promise<Mail[]> {
	const files = (await readdir(mailDir).catch(() => [] as string[])).filter((f) =>
		f.endsWith('.eml')
	);
	files.sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]) || a.localeCompare(b));
	return Promise.all(
		files.map(async (file) => {
			const parsed = await simpleParser(await readFile(join(mailDir, file)));
			const envelope = parsed.headers.get('x-envelope-to');
			return {
				...parsed,
				envelopeTo: String(envelope ?? '')
					.split(',')
					.filter(Boolean),
				file
			} as Mail;
		})
	);
}

/** The messages to one address, oldest first. */
export async function mailTo(address: string): Promise<Mail[]> {
	return (await allMail()).filter(
		(m) => m.envelopeTo.includes(address.toLowerCase()) || m.envelopeTo.includes(address)
	);
}

/**
 * Waits (polling, up to `timeout`) for a message to `address` whose subject matches, and returns
 * it; `after` skips the first messages already seen.
 */
export async function waitForMail(
	address: string,
	subject: RegExp,
	{ timeout = 60_000, after = 0 } = {}
): Promise<Mail> {
	let found: Mail | undefined;
	await expect
		.poll(
			async () => {
				found = (await mailTo(address)).slice(after).find((m) => subject.test(m.subject ?? ''));
				return !!found;
			},
			{ timeout, message: `a message to ${address} with subject ${subject}` }
		)
		.toBe(true);
	return found!;
}

/** The first link in a message's text that starts with `prefix` (an absolute URL of the portal). */
export function linkIn(mail: Mail, prefix: string): string {
	const text = mail.text ?? '';
	const start = text.indexOf(prefix);
	if (start < 0) throw new Error(`no link starting ${prefix} in:\n${text}`);
	return text.slice(start).split(/\s/)[0];
}
