import type { Db } from './db';
import { purgeDossierContacts } from './dossiers/contacts';
import { errorFields, log } from './log';
import { pruneNotifications } from './notify/prune';
import { purgeExpiredContacts } from './questions/ask';
import { pruneLimits } from './security/rate-limit';
import { pruneSignInFailures } from './security/sign-in-throttle';
import { freezeLastMonth } from './service-index/archive';
import { purgeExpiredDrafts } from './surveys/drafts';

/**
 * Hourly chores no request waits for: askers' and applicants' contacts whose retention ran out
 * are deleted, abandoned survey drafts (and the answers in them) deleted once their DRAFT_DAYS
 * have passed, old rate-limit windows and forgotten sign-in failures dropped, and notifications
 * written over 90 days ago and no longer being tried removed from the outbox; last month's
 * Decision 766 figures frozen for the archive if nobody has read them yet. Safe on several app
 * servers at once (plain deletes).
 */
export function startHousekeeping(db: Db, intervalMs = 3_600_000): { stop: () => Promise<void> } {
	const run = async () => {
		try {
			await purgeExpiredContacts(db);
			await purgeDossierContacts(db);
			await purgeExpiredDrafts(db);
			await pruneLimits(db);
			await pruneSignInFailures(db);
			await pruneNotifications(db);
			await freezeLastMonth(db);
		} catch (e) {
			log.error('housekeeping failed; will retry', errorFields(e));
		}
	};
	// the run in progress, awaited on stop so the database is not closed under it
	let running = run();
	const timer = setInterval(() => {
		running = running.then(run);
	}, intervalMs);
	timer.unref();
	return {
		stop: async () => {
			clearInterval(timer);
			await running;
		}
	};
}
