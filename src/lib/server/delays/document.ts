import type { IsoDate } from '$lib/deadlines/working-days';
import { monthLabel, type DelayList, type ListedDossier } from '$lib/delays/list';
import { formatDate } from '$lib/i18n/format';
import { csvText, INTEGER, text, type Column } from '../exports/columns';

/**
 * The delay list as a disclosure: a title, a summary and a Markdown body naming each unit and
 * official with their number of late dossiers, and a CSV table (shown on the disclosure's page
 * and offered as open data) with each late dossier's procedure, field, state and days late: never
 * its code, and no date, so that nobody can tell whose application was received on which day
 * (the staff preview keeps the dates). The document is the
 * agency's, in Vietnamese, as every disclosure's text is written.
 */
export const NOT_IDENTIFIED_UNIT = 'Chưa xác định đơn vị xử lý';
export const NOT_IDENTIFIED_OFFICIAL = 'Chưa xác định cán bộ xử lý';

const monthText = monthLabel;

/** Text that Markdown must show as written (a name with * or [ stays a name). */
const literal = (value: string) => value.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&');

type Row = ListedDossier & { unit: string; official: string };

const COLUMNS: Column<Row>[] = [
	text('Đơn vị xử lý', (r) => r.unit),
	text('Cán bộ xử lý', (r) => r.official),
	text('Thủ tục hành chính', (r) => r.procedure),
	text('Lĩnh vực', (r) => r.field),
	text('Tình trạng', (r) => (r.completedOn ? 'Đã hoàn thành' : 'Chưa hoàn thành')),
	{ header: 'Số ngày trễ hạn (ngày lịch)', format: INTEGER, value: (r) => r.daysLate }
];

export type DelayDocument = {
	title: string;
	summary: string;
	bodyMd: string;
	csv: Uint8Array;
	csvName: string;
};

export function delayDocument(list: DelayList, agencyName: string, today: IsoDate): DelayDocument {
	const month = monthText(list.month);
	const officials = list.units.flatMap((u) => u.officials.filter((o) => o.name !== null));
	const rows: Row[] = list.units.flatMap((u) =>
		u.officials.flatMap((o) =>
			o.dossiers.map((d) => ({
				...d,
				unit: u.name ?? NOT_IDENTIFIED_UNIT,
				official: o.name ?? NOT_IDENTIFIED_OFFICIAL
			}))
		)
	);
	const lines = [
		`Danh sách tổ chức, cá nhân để hồ sơ thủ tục hành chính trễ hạn trong tháng ${month}, ` +
			`lập ngày ${formatDate(today)} từ dữ liệu hồ sơ của ${literal(agencyName)}.`,
		'',
		list.total === 0
			? `Trong tháng ${month} không có hồ sơ nào trễ hạn.`
			: `Tổng số: ${list.total} hồ sơ trễ hạn.`
	];
	// each unit in bold, not a heading: the body follows the public page's h1, and the renderer
	// makes every heading an h3 (a skipped level)
	for (const unit of list.units) {
		lines.push(
			'',
			`**${literal(unit.name ?? NOT_IDENTIFIED_UNIT)}: ${unit.count} hồ sơ trễ hạn**`,
			''
		);
		for (const o of unit.officials)
			lines.push(`- ${literal(o.name ?? NOT_IDENTIFIED_OFFICIAL)}: ${o.count} hồ sơ`);
	}
	lines.push(
		'',
		'Hồ sơ trễ hạn là hồ sơ hoàn thành sau ngày hẹn trả, hoặc chưa hoàn thành khi đã quá ngày ' +
			'hẹn trả; mỗi hồ sơ được tính vào tháng bắt đầu trễ hạn. Số ngày trễ hạn tính theo ngày ' +
			'lịch, từ ngày hẹn trả đến ngày hoàn thành (hồ sơ chưa hoàn thành: đến ngày lập danh sách). ' +
			'Chi tiết từng hồ sơ ở bảng kèm theo; danh sách không nêu mã hồ sơ và ngày tiếp nhận, ' +
			'để không thể nhận ra hồ sơ của người dân.'
	);
	return {
		title: `Danh sách tổ chức, cá nhân gây chậm trễ trong giải quyết hồ sơ tháng ${month}`,
		summary:
			`${list.total} hồ sơ trễ hạn; ${list.units.length} đơn vị, ` +
			`${officials.length} cán bộ xử lý.`,
		bodyMd: lines.join('\n'),
		csv: new TextEncoder().encode(csvText({ columns: COLUMNS, rows })),
		csvName: `danh-sach-cham-tre-${list.month.slice(0, 7)}.csv`
	};
}
