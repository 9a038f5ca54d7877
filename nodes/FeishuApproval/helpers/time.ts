/** Time values from the form -> the API's epoch-millisecond strings [doc]. Pure. */

export class TimeError extends Error {}

/** Before 1973 in milliseconds, but a plausible date in seconds: almost surely seconds. */
const SECONDS_LIKE = 1e11;

/**
 * ISO-8601 text, epoch milliseconds (number or digits), a JS Date or an n8n (Luxon) date ->
 * epoch milliseconds as a string. Epoch seconds are refused rather than read as 1970.
 */
export function toEpochMs(value: unknown, label: string): string {
	let ms: number;
	if (typeof value === 'number') ms = value;
	else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) ms = Number(value);
	else if (typeof value === 'string') {
		ms = Date.parse(value.trim());
		if (Number.isNaN(ms)) throw new TimeError(`${label} "${value}" is not a time: use ISO-8601 text (2026-12-01T09:30:00Z), epoch milliseconds or a date`);
	} else if (value instanceof Date) ms = value.getTime();
	else if (value && typeof (value as { toMillis?: unknown }).toMillis === 'function') ms = (value as { toMillis: () => number }).toMillis();
	else throw new TimeError(`${label} must be a time (ISO-8601 text, epoch milliseconds or a date), not ${value === null ? 'null' : typeof value}`);
	if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 0) throw new TimeError(`${label} ${String(value)} is not a valid time`);
	if (ms < SECONDS_LIKE) {
		throw new TimeError(`${label} ${String(value)} looks like epoch seconds: Feishu takes milliseconds (multiply by 1000)`);
	}
	return String(ms);
}

/** An optional time: empty -> undefined. */
export function optionalEpochMs(value: unknown, label: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return toEpochMs(value, label);
}
