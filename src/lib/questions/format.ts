import { m } from '$lib/paraglide/messages';

/** The words of the questions-and-answers flow: case statuses and timeline events. */
const STATUS: Record<string, () => string> = {
	pending: m.qa_status_pending,
	needs_info: m.qa_status_needs_info,
	rejected: m.qa_status_rejected,
	merged: m.qa_status_merged,
	assigned: m.qa_status_assigned,
	answered: m.qa_status_answered
};

export const statusLabel = (status: string): string => STATUS[status]?.() ?? status;

const EVENTS: Record<string, () => string> = {
	received: m.qa_event_received,
	info_requested: m.qa_event_info_requested,
	info_provided: m.qa_event_info_provided,
	rejected: m.qa_event_rejected,
	merged: m.qa_event_merged,
	accepted: m.qa_event_accepted,
	routed: m.qa_event_routed,
	transferred: m.qa_event_transferred,
	published: m.qa_event_published,
	reopened: m.qa_event_reopened,
	rated: m.qa_event_rated,
	redacted: m.qa_event_redacted,
	draft_saved: m.qa_event_draft_saved,
	submitted: m.qa_event_submitted,
	returned: m.qa_event_returned,
	note: m.qa_event_note
};

export const eventLabel = (kind: string): string => EVENTS[kind]?.() ?? kind;
