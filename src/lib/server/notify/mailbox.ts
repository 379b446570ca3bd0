import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';

/**
 * The development mailbox (`vite dev` without SMTP_URL): the .eml files mailboxTransport wrote,
 * read back for /dev/mail. Only ever imported by that page, and only under `vite dev`.
 */

export type MailSummary = { id: string; to: string; subject: string; date: string | null };
export type MailMessage = MailSummary & { text: string; html: string | null; headers: string[] };

/** A file of the mailbox as the page names it: no folders, nothing but what the transport writes. */
const MAIL_FILE = /^[\w.-]+\.eml$/;

const addresses = (to: AddressObject | AddressObject[] | undefined) =>
	(Array.isArray(to) ? to : to ? [to] : []).map((a) => a.text).join(', ');

async function parse(dir: string, id: string) {
	const mail = await simpleParser(await readFile(join(dir, id)));
	return {
		id,
		to: addresses(mail.to),
		subject: mail.subject ?? '',
		date: mail.date?.toISOString() ?? null,
		mail
	};
}

/** The messages in `dir`, newest first (the files are named by the time they were written). */
export async function listMailbox(dir: string, limit = 200): Promise<MailSummary[]> {
	const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => MAIL_FILE.test(f));
	files.sort((a, b) => b.localeCompare(a));
	const parsed = await Promise.all(files.slice(0, limit).map((f) => parse(dir, f)));
	return parsed.map(({ id, to, subject, date }) => ({ id, to, subject, date }));
}

/** One message of the mailbox, or null when `id` names none (or is not a mailbox file name). */
export async function readMailboxMessage(dir: string, id: string): Promise<MailMessage | null> {
	if (!MAIL_FILE.test(id)) return null;
	try {
		const { mail, ...summary } = await parse(dir, id);
		return {
			...summary,
			text: mail.text ?? '',
			html: typeof mail.html === 'string' ? mail.html : null,
			headers: mail.headerLines.map((h) => h.line)
		};
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
}
