import { createHmac } from 'node:crypto';
import type { Transport } from './transports';

/**
 * SMS and Zalo: one JSON POST per message to the province's gateway, signed with HMAC-SHA256 of
 * the timestamp and body (the format and its JSON Schema: docs/notify-webhook.md).
 */
export function webhookTransport(settings: { url: string; secret: string }): Transport {
	return {
		async send(message, deliveryId) {
			const body = JSON.stringify({
				id: deliveryId,
				kind: message.kind,
				lang: message.lang,
				phone: message.to.phone,
				text: [message.subject, ...message.lines, message.link?.href].filter(Boolean).join('\n')
			});
			const timestamp = Math.floor(Date.now() / 1000).toString();
			const signature = createHmac('sha256', settings.secret)
				.update(`${timestamp}.${body}`)
				.digest('hex');
			const response = await fetch(settings.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-civicvoice-timestamp': timestamp,
					'x-civicvoice-signature': `sha256=${signature}`,
					'idempotency-key': deliveryId
				},
				body,
				// a redirect is a failure: followed, it would turn the signed POST into a GET that
				// answers 200 for a message nobody received
				redirect: 'manual',
				signal: AbortSignal.timeout(30_000)
			});
			// the answer's body says nothing we use; let the connection go back to the pool
			await response.body?.cancel();
			if (!response.ok) throw new Error(`webhook answered ${response.status}`);
		}
	};
}
