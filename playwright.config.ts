import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** The suite's server; tests that start servers of their own take the ports after it. */
export const port = Number(process.env.E2E_PORT ?? 4173);
export const baseURL = `http://localhost:${port}`;
/** The suite's SMTP server (e2e/mail/catcher.js) and where it keeps what the portal sends. */
export const mailPort = port + 20_000;
export const mailDir = join(tmpdir(), `civic-voice-e2e-mail-${port}`);

// The tests run against the production build (`node build`), where CSP and the CSRF origin check
// are on, with a throw-away embedded database seeded with the demo accounts.
export default defineConfig({
	testDir: 'e2e',
	testMatch: '**/*.e2e.ts',
	fullyParallel: true,
	workers: 2,
	forbidOnly: !!process.env.CI,
	retries: 0,
	reporter: [['list'], ['json', { outputFile: '.test-reports/e2e.json' }]],
	// full PAPI questionnaires take 20-30 s on a busy two-core machine; a test's bound leaves room
	// for a machine three times slower than that (longer tests set their own)
	timeout: 90_000,
	// a page's answer can take over 5 s there (two browsers, the server and maybe another job)
	expect: { timeout: 15_000 },
	use: { baseURL, trace: 'retain-on-failure' },
	webServer: [
		{
			command: 'node e2e/mail/catcher.js',
			port: mailPort,
			reuseExistingServer: false,
			env: { MAIL_CATCHER_DIR: mailDir, MAIL_CATCHER_PORT: String(mailPort) }
		},
		{
			command: 'npm run build && node build',
			url: baseURL,
			// a build takes over four minutes on a two-core machine that is also running other builds
			timeout: 600_000,
			reuseExistingServer: false,
			stdout: 'pipe',
			env: {
				PORT: String(port),
				ORIGIN: baseURL,
				PGLITE_DIR: 'memory://',
				// uploads go to a folder of this port's run, not to the checkout's .data of `npm run dev`
				DATA_DIR: join(tmpdir(), `civic-voice-e2e-${port}`),
				SEED_DEMO: 'true',
				SHUTDOWN_TIMEOUT: '5',
				// every test asks from the same address; the limit itself is tested against the database
				QUESTIONS_PER_HOUR: '1000',
				BODY_SIZE_LIMIT: '32M',
				// warnings and errors only: a line per request made the CI log 1.4 MB of noise
				LOG_LEVEL: 'warn',
				// every message goes to the suite's SMTP server, looked for every second
				SMTP_URL: `smtp://127.0.0.1:${mailPort}`,
				MAIL_FROM: 'Tiếng nói Công dân <gopy@example.gov.vn>',
				NOTIFY_POLL_SECONDS: '1',
				// the staff's reminders and digests, looked for every two seconds
				NOTIFY_SCAN_SECONDS: '2'
			}
		}
	],
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath,
					args: [
						'--disable-gpu',
						'--disable-dev-shm-usage',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--no-first-run',
						'--disable-quic'
					]
				}
			}
		}
	]
});
