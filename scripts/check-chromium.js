#!/usr/bin/env node
// Browser tests drive the system Chromium; this machine cannot download a browser of its own.
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
try {
	accessSync(path, constants.X_OK);
} catch {
	console.error(
		`Chromium not found at ${path}: install it with \`sudo apt-get install -y chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.`
	);
	process.exit(1);
}
