import { config } from '../config';

/** An address on this portal as a message links to it: ORIGIN, or the dev server's. */
export function publicUrl(path: string): string {
	return new URL(path, config().origin ?? 'http://localhost:5173').href;
}
