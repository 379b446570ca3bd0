import QRCode from 'qrcode';
import { normalizeCode } from '$lib/dossiers/records';

/** The short address of the rating page, printed on the slip and on the counter's posters. */
export const RATING_PATH = '/danh-gia';

/** The address the slip's QR code opens: the rating page with the dossier code filled in. */
export function ratingUrl(origin: string, code: string): string {
	const url = new URL(RATING_PATH, origin);
	url.searchParams.set('ma', normalizeCode(code));
	return url.toString();
}

/**
 * The receipt slip's QR code as an SVG data address, drawn on the server (no script on the page
 * that prints it); error correction M survives a crumpled receipt.
 */
export async function qrDataUrl(text: string): Promise<string> {
	const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
