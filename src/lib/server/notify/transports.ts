import type { DeliveryChannel } from '../db/schema';
import type { Message } from './message';

/**
 * What carries a message out: SMTP or the development mailbox for e-mail, the signed webhook for
 * SMS and Zalo. Set once at start (hooks.server.ts) from the settings; tests set their own. A
 * channel with no transport gets no deliveries written, so nothing piles up unsendable.
 */
export type Transport = {
	/** sends one message; throws when it was not accepted (the worker retries later) */
	send(message: Message, deliveryId: string): Promise<void>;
};

const transports: Partial<Record<DeliveryChannel, Transport>> = {};

export function useTransport(channel: DeliveryChannel, transport: Transport | undefined): void {
	if (transport) transports[channel] = transport;
	else delete transports[channel];
}

export function transportOf(channel: DeliveryChannel): Transport | undefined {
	return transports[channel];
}
