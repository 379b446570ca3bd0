import { m } from '$lib/paraglide/messages';

const STATUS: Record<string, () => string> = {
	not_started: m.pl_status_not_started,
	in_progress: m.pl_status_in_progress,
	done: m.pl_status_done,
	cancelled: m.pl_status_cancelled
};

export const taskStatusName = (status: string): string => STATUS[status]?.() ?? status;
