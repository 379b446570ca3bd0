import type { Db } from '../db';
import { aggregateQueued } from './aggregate';

/**
 * Adds queued responses to the analytics cells every `intervalMs`, in batches, until the queue is
 * empty. Several app servers may run it at once: each batch takes rows the others have not.
 */
export function startAggregator(db: Db, intervalMs = 1000): { stop: () => Promise<void> } {
	let running: Promise<void> | undefined;
	let stopped = false;
	const tick = () => {
		if (running || stopped) return;
		running = (async () => {
			try {
				while (!stopped && (await aggregateQueued(db)) > 0);
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
