import type { Db } from '../db';
import { aggregateQueued } from './aggregate';

const BATCH = 5000;

/**
 * Adds queued responses to the analytics cells every `intervalMs` (so a response shows in live
 * results within a few seconds), in batches. Several app servers may run it at once: each batch takes rows the others have not.
 */
export function startAggregator(db: Db, intervalMs = 3000): { stop: () => Promise<void> } {
	let running: Promise<void> | undefined;
	let stopped = false;
	const tick = () => {
		if (running || stopped) return;
		running = (async () => {
			try {
				// a full batch means more is waiting; otherwise let responses gather until the next tick,
				// so that each batch adds many responses to the same cells in one write
				while (!stopped && (await aggregateQueued(db, BATCH)) === BATCH);
			} catch (e) {
				console.error('analytics: aggregation failed; will retry', e);
			} finally {
				running = undefined;
			}
		})();
	};
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	return {
		stop: async () => {
			stopped = true;
			clearInterval(timer);
			await running;
		}
	};
}
