import fc from 'fast-check';

/**
 * Property tests draw the same cases on every run, so that a run passes or fails on the code, not
 * on the draw. To look further afield, set FC_SEED to another number (a failure prints its seed
 * and path, which replay it).
 */
const seed = Number(process.env.FC_SEED ?? 20261206);
if (!Number.isSafeInteger(seed))
	throw new Error(`FC_SEED must be an integer, not ${process.env.FC_SEED}`);
fc.configureGlobal({ seed });
