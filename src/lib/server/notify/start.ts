import { join } from 'node:path';
import type { Config } from '../config';
import type { Db } from '../db';
import { errorFields, log } from '../log';
import { mailboxTransport, smtpTransport } from './email';
import { scanStaffWork } from './staff-scan';
import { transportOf, useTransport } from './transports';
import { webhookTransport } from './webhook';
import { startNotifier } from './worker';

/** Where `vite dev` keeps the messages it would have sent (listed on /dev/mail). */
export const mailboxDir = (settings: Pick<Config, 'dataDir'>) => join(settings.dataDir, 'mail');

/**
 * Sets the transports from the settings and starts this process's worker. Under `vite dev`
 * without SMTP_URL, e-mail goes to the development mailbox instead of nowhere.
 */
export function startNotifications(db: Db, settings: Config, dev: boolean) {
	if (settings.mail)
		useTransport('email', smtpTransport(settings.mail.smtpUrl, settings.mail.from));
	else if (dev) useTransport('email', mailboxTransport(mailboxDir(settings)));
	if (settings.webhook) useTransport('webhook', webhookTransport(settings.webhook));
	log.info(
		`notifications: e-mail ${settings.mail ? 'by SMTP' : dev ? 'to the development mailbox' : 'off (no SMTP_URL)'}, ` +
			`SMS/Zalo ${settings.webhook ? 'by webhook' : 'off (no NOTIFY_WEBHOOK_URL)'}`
	);
	const notifier = startNotifier(db, settings.notifyPollSeconds);
	const scan = startStaffScan(db, settings.notifyScanSeconds, notifier.kick);
	return { ...notifier, stop: () => (notifier.stop(), scan.stop()) };
}

/**
 * The staff's reminders and digests, looked for every `seconds` on every server (their dedupe
 * keys keep each to one); what a pass writes is sent at once. Nothing to look for without e-mail.
 */
export function startStaffScan(db: Db, seconds: number, sent: () => void) {
	let running = false;
	const run = async () => {
		if (running || !transportOf('email')) return;
		running = true;
		try {
			await scanStaffWork(db);
			sent();
		} catch (e) {
			log.error('staff reminders failed; will retry', errorFields(e));
		} finally {
			running = false;
		}
	};
	const timer = setInterval(run, seconds * 1000);
	timer.unref();
	return { stop: () => clearInterval(timer) };
}
