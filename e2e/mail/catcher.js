// The test suite's SMTP server: every message the portal sends is kept as an .eml file in
// MAIL_CATCHER_DIR (emptied at start), where e2e/mail/inbox.ts reads it. Started by
// playwright.config.ts next to the portal; accepts any sender and recipient, no TLS, no auth.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const dir = process.env.MAIL_CATCHER_DIR;
const port = Number(process.env.MAIL_CATCHER_PORT);
if (!dir || !port) throw new Error('MAIL_CATCHER_DIR and MAIL_CATCHER_PORT are required');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

let count = 0;
const server = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS', 'AUTH'],
	onData(stream, session, callback) {
		const chunks = [];
		stream.on('data', (c) => chunks.push(c));
		stream.on('end', () => {
			const to = session.envelope.rcptTo.map((r) => r.address).join(',');
			const name = `${Date.now()}-${++count}.eml`;
			// the envelope's recipients first, as a header the parser reads like any other
			writeFileSync(
				join(dir, name),
				Buffer.concat([Buffer.from(`X-Envelope-To: ${to}\r\n`), ...chunks])
			);
			callback();
		});
	}
});
server.listen(port, '127.0.0.1', () => console.log(`mail catcher on ${port}, writing to ${dir}`));
for (const signal of ['SIGTERM', 'SIGINT'])
	process.on(signal, () => server.close(() => process.exit(0)));
