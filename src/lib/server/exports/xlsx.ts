import writeXlsxFile, { type Cell as SheetCell, type SheetData } from 'write-excel-file/node';
import { cellOf, headers, type Cell, type ExportTable } from './columns';

/**
 * The table as an Excel workbook of one sheet: the header row in bold and frozen, then one row per
 * row with typed cells (numbers as numbers with the display format of their precision, shares as
 * percentages, days as dates shown dd/mm/yyyy), each column as wide as its longest text allows.
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sheetCell(cell: Cell): SheetCell {
	if (cell === null) return null;
	switch (cell.type) {
		case 'text':
			return { type: String, value: cell.value };
		case 'number':
			return cell.numFmt === null
				? { type: Number, value: cell.value }
				: { type: Number, value: cell.value, format: cell.numFmt };
		case 'date':
			return { type: Date, value: cell.value, format: 'dd/mm/yyyy' };
	}
}

/** Excel refuses a sheet name longer than 31 characters or with one of : \ / ? * [ ]. */
export const sheetName = (name: string): string =>
	Array.from(name.replace(/[:\\/?*[\]]/g, ' ').trim())
		.slice(0, 31)
		.join('')
		.trim() || 'Sheet1';

const WIDEST = 60;

export async function xlsxBuffer<R>(table: ExportTable<R>, name: string): Promise<Buffer> {
	const widths = table.columns.map((c) => c.width ?? Math.min(WIDEST, c.header.length + 2));
	const data: SheetData = [
		headers(table.columns).map((h) => ({ type: String, value: h, fontWeight: 'bold' as const }))
	];
	for (const row of table.rows) {
		data.push(
			table.columns.map((column, i) => {
				const cell = cellOf(column, row);
				if (column.width === undefined && cell?.type === 'text')
					widths[i] = Math.min(WIDEST, Math.max(widths[i]!, cell.value.length + 2));
				return sheetCell(cell);
			})
		);
	}
	return writeXlsxFile(data, {
		sheet: sheetName(name),
		columns: widths.map((width) => ({ width })),
		stickyRowsCount: 1
	}).toBuffer();
}
