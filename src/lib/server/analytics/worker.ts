import type { Db } from '../db';
import { errorFields, log } from '../log';
import { aggregateQueued } from './aggregate';
import { refreshSnapshots } from './snapshot';

const BATCH = 5000;
/** A wave's next snapshot waits at least this many times as long as its last one took. */
const PACE = 10;

/**
 * Adds queued responses to the working sums every `intervalMs`, in batches, then takes the
 * snapshots that are due (a live wave's after k new responses). Every app server runs it; one at a
 * time adds a batch (the aggregator's turn, `turn.ts`: the others skip that tick), and a wave's
 * snapshot is taken by one at a time. A large wave's snapshot reads all its answers, so it is
 * taken at most every PACE times the time the last one took (a million responses: a few minutes
 * apart).
 */
export function startAggregator(db: Db, intervalMs = 3000): { stop: () => Promise<void> } {
	let running: Promise<void> | undefined;
	let stopped = false;
	const notBefore = new Map<number, number>();
	const tick = () => {
		if (running || stopped) return;
		running = (async () => {
			try {
				// a full batch means more is waiting; otherwise let responses gather until the next tick,
				// so that each batch adds many responses to the same cells in one write
				while (!stopped && (await aggregateQueued(db, BATCH)) === BATCH);
				if (stopped) return;
				const started = new Map<number, number>();
				await refreshSnapshots(db, {
					yielding: true,
					skip: (wave) => {
						if ((notBefore.get(wave) ?? 0) > Date.now()) return true;
						started.set(wave, Date.now());
						return false;
					}
				});
				for (const [wave, at] of started)
					notBefore.set(wave, Date.now() + (Date.now() - at) * PACE);
			} catch (e) {
				log.error('analytics: aggregation failed; will retry', errorFields(e));
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
