import type { OpenedFile } from './store';

/**
 * A stored file as an HTTP response, its bytes streamed from the store as the client reads them.
 * Its type was decided from its content when it was uploaded, so it is served as that type, never
 * sniffed again (nosniff is set for every response), and in a sandbox so that even a crafted file
 * cannot run script on this origin.
 */
export function fileResponse(
	file: { name: string; mime: string } & OpenedFile,
	personal: boolean,
	disposition: 'inline' | 'attachment' = 'inline'
): Response {
	const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return new Response(file.stream, {
		headers: {
			'content-type': file.mime,
			'content-length': String(file.size),
			'content-disposition': `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
			'content-security-policy': "sandbox; default-src 'none'; img-src 'self'; object-src 'self'",
			'cache-control': personal ? 'private, no-store' : 'public, max-age=3600'
		}
	});
}
