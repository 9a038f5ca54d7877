// Plain-text tables and CSV for the demo: what a user would see in n8n's table view or a sheet.

export type Row = Record<string, unknown>;

/** A fixed-width table of the given columns; at most `max` rows, then a count of the rest. */
export function table(rows: Row[], columns: string[], max = rows.length): string {
	const shown = rows.slice(0, max).map((row) => columns.map((column) => cell(row[column])));
	const widths = columns.map((column, n) => Math.max(column.length, ...shown.map((cells) => cells[n].length)));
	const line = (cells: string[]) => cells.map((text, n) => text.padEnd(widths[n])).join('  ').trimEnd();
	const out = [line(columns), line(widths.map((w) => '-'.repeat(w))), ...shown.map(line)];
	if (rows.length > max) out.push(`… and ${rows.length - max} more`);
	return out.map((text) => `  ${text}`).join('\n');
}

function cell(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** RFC 4180 CSV: the columns of the first row, every field quoted only when it must be. */
export function toCsv(rows: Row[]): string {
	if (!rows.length) return '';
	const columns = Object.keys(rows[0]);
	const field = (value: unknown) => {
		const text = cell(value);
		return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	return [columns.join(','), ...rows.map((row) => columns.map((column) => field(row[column])).join(','))].join('\r\n') + '\r\n';
}

/** "2026-11-20T03:12:45.000Z" -> "2026-11-20 03:12 UTC", short enough for a terminal. */
export function shortTime(iso: unknown): string {
	return typeof iso === 'string' && iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '';
}
