// Plain-text tables for the terminal; the JSON summary carries the same figures unrounded.

export function table(title: string, head: string[], rows: Array<Array<string | number>>): string {
	const cells = [head, ...rows.map((r) => r.map(String))];
	const widths = head.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
	const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
	const rule = `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
	return [`\n${title}`, line(head), rule, ...cells.slice(1).map(line)].join('\n');
}

export const ms = (value: number): string => `${Math.round(value)} ms`;
export const x = (value: number): string => `${value.toFixed(2)}x`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
