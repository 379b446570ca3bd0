import { m } from '$lib/paraglide/messages';
import type { FigureKey } from './figures';

/** Each figure's name, formula and legal source, in the page's language (one entry per figure). */
export const FIGURE_TEXT: Record<
	FigureKey,
	{ name: () => string; formula: () => string; source: () => string }
> = {
	on_time: {
		name: m.service_index_figure_on_time,
		formula: m.service_index_formula_on_time,
		source: m.service_index_source_766
	},
	online: {
		name: m.service_index_figure_online,
		formula: m.service_index_formula_online,
		source: m.service_index_source_766
	},
	satisfaction: {
		name: m.service_index_figure_satisfaction,
		formula: m.service_index_formula_satisfaction,
		source: m.service_index_source_766
	},
	waiting: {
		name: m.service_index_figure_waiting,
		formula: m.service_index_formula_waiting,
		source: m.service_index_source_waiting
	},
	one_visit: {
		name: m.service_index_figure_one_visit,
		formula: m.service_index_formula_one_visit,
		source: m.service_index_source_waiting
	},
	qa_on_time: {
		name: m.service_index_figure_qa_on_time,
		formula: m.service_index_formula_qa_on_time,
		source: m.service_index_source_766
	},
	qa_satisfaction: {
		name: m.service_index_figure_qa_satisfaction,
		formula: m.service_index_formula_qa_satisfaction,
		source: m.service_index_source_766
	},
	late_letters: {
		name: m.service_index_figure_late_letters,
		formula: m.service_index_formula_late_letters,
		source: m.service_index_source_letters
	}
};

/** "Tháng 03/2026", "03/2026". */
export const monthName = (month: string): string =>
	m.service_index_month_name({ month: month.slice(5, 7), year: month.slice(0, 4) });
