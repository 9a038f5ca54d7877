/** Parsing of the id list parameters (instance ids, approval codes, user ids). Pure. */

export class IdListError extends Error {}

/**
 * Text separated by commas, spaces or new lines, or an array (from an expression) of strings
 * or numbers -> trimmed, non-empty, de-duplicated ids in their first order.
 */
export function parseIdList(value: unknown, label: string): string[] {
	let parts: unknown[];
	if (value === undefined || value === null) parts = [];
	else if (Array.isArray(value)) parts = value;
	else if (typeof value === 'string') parts = value.split(/[\s,，;]+/);
	else if (typeof value === 'number') parts = [value];
	else throw new IdListError(`${label} must be text or a list, not ${typeof value}`);
	const ids: string[] = [];
	const seen = new Set<string>();
	for (const part of parts) {
		if (typeof part !== 'string' && typeof part !== 'number') {
			throw new IdListError(`${label} must contain only text or numbers, but one entry is ${part === null ? 'null' : typeof part}`);
		}
		// An array entry may itself be "a, b" text: split it the same way.
		for (const id of String(part).split(/[\s,，;]+/)) {
			if (id && !seen.has(id)) {
				seen.add(id);
				ids.push(id);
			}
		}
	}
	return ids;
}

/** Cuts a list into groups of at most `size` (the API takes at most 20 ids per request [doc]). */
export function chunk<T>(items: T[], size: number): T[][] {
	const groups: T[][] = [];
	for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
	return groups;
}
