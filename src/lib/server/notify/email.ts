import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Message } from './message';
import type { Transport } from './transports';

/** Below LEASE_SECONDS (worker.ts): a live worker finishes or fails before its claim lapses. */
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 };

function envelope(message: Message, from: string, deliveryId: string, domain: string) {
	const headers: Record<string, string> = {
		'Content-Language': message.lang,
		'Auto-Submitted': 'auto-generated'
	};
	return {
		from,
		to: message.to.name ? { name: message.to.name, address: message.to.email! } : message.to.email!,
		subject: message.subject,
		text: message.text,
		html: message.html,
		// the same id on every try: a receiver that sees it twice can tell
		messageId: `<notification-${deliveryId}@${domain}>`,
		headers,
		// No List-Unsubscribe-Post (RFC 8058): a provider's one-click POST comes without an Origin
		// header, and SvelteKit's CSRF check refuses every form post without one. The link opens
		// the stop page instead, where one button stops.
		...(message.unsubscribe ? { list: { unsubscribe: message.unsubscribe } } : {})
	};
}

const domainOf = (from: string) => from.replace(/.*@/, '').replace(/>.*$/, '');

/** E-mail through the province's SMTP server. */
export function smtpTransport(smtpUrl: string, from: string): Transport {
	const url = new URL(smtpUrl);
	const secure = url.protocol === 'smtps:';
	const mailer = nodemailer.createTransport({
		host: url.hostname,
		port: Number(url.port) || (secure ? 465 : 587),
		secure,
		auth: url.username
			? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
			: undefined,
		...TIMEOUTS
	});
	return {
		async send(message, deliveryId) {
			await mailer.sendMail(envelope(message, from, deliveryId, domainOf(from)));
		}
	};
}

/** `vite dev`: each message written as an .eml file in `dir`, listed on /dev/mail, never sent. */
export function mailboxTransport(dir: string, from = 'Civic Voice <noreply@localhost>'): Transport {
	const builder = nodemailer.createTransport({ streamTransport: true, buffer: true });
	return {
		async send(message, deliveryId) {
			const info = await builder.sendMail(envelope(message, from, deliveryId, 'localhost'));
			await mkdir(dir, { recursive: true });
			const stamp = new Date().toISOString().replace(/[:.]/g, '-');
			await writeFile(join(dir, `${stamp}-${deliveryId}.eml`), info.message as Buffer);
		}
	};
}
