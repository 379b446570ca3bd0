/**
 * Preloaded into a test's own server (`node --import`) to run it at a later moment: every
 * `Date` reads the real clock plus CLOCK_SHIFT_MS. For tests only, to read a month's figures
 * once the month is over; the portal itself has no clock of its own.
 */
const shift = Number(process.env.CLOCK_SHIFT_MS ?? '0');
if (!Number.isFinite(shift)) throw new Error('CLOCK_SHIFT_MS must be a number of milliseconds');

const RealDate = globalThis.Date;
const shifted = () => RealDate.now() + shift;

function ShiftedDate(...args) {
	// Date() called as a function gives the time as text
	if (!new.target) return new RealDate(shifted()).toString();
	return Reflect.construct(RealDate, args.length === 0 ? [shifted()] : args, new.target);
}
ShiftedDate.prototype = RealDate.prototype;
Object.setPrototypeOf(ShiftedDate, RealDate);
ShiftedDate.now = shifted;
globalThis.Date = ShiftedDate;
