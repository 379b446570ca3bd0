import type { IsoDate } from '$lib/deadlines/working-days';
import { foldVietnamese } from '$lib/questions/search';

export type Recurrence = 'once' | 'continuous' | 'monthly' | 'quarterly' | 'yearly';

/**
 * What a plan's "Thời gian thực hiện" cell means, as far as it can be read: the seeds write
 * "Thường xuyên", "Hằng năm", "Hàng quý", "Tháng 12 hàng năm", "Quý III năm 2021", "23/5/2021"...
 * The text is always kept; this adds a recurrence and, where a date is given, a due date.
 */
export function readTimeline(text: string): { recurrence: Recurrence; dueOn: IsoDate | null } {
	const t = foldVietnamese(text);
	const date = /(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
	const dueOn = date
		? `${date[3]}-${date[2]!.padStart(2, '0')}-${date[1]!.padStart(2, '0')}`
		: null;
	if (/\b(hang|moi) thang\b/.test(t)) return { recurrence: 'monthly', dueOn };
	if (/\b(hang|moi) quy\b/.test(t)) return { recurrence: 'quarterly', dueOn };
	if (/\b(hang|moi) nam\b/.test(t)) return { recurrence: 'yearly', dueOn };
	if (/\bthuong xuyen\b/.test(t)) return { recurrence: 'continuous', dueOn };
	return { recurrence: dueOn || t ? 'once' : 'continuous', dueOn };
}
