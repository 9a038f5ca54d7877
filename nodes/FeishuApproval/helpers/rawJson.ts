// JSON.parse turns an integer above 2^53 into the nearest double, so its last digits are lost
// (Node 20 has no JSON.parse source access). The callback's message_id is an int64 [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback]:
// its digits are read from the text itself. Call only on text JSON.parse has accepted.

function skipSpace(text: string, i: number): number {
	while (i < text.length && /\s/.test(text[i])) i++;
	return i;
}

/** Index after the string that starts at i (text[i] is the opening quote). */
function endOfString(text: string, i: number): number {
	let j = i + 1;
	while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
	return j + 1;
}

/** Index after the value that starts at i. */
function endOfValue(text: string, i: number): number {
	if (text[i] === '"') return endOfString(text, i);
	if (text[i] === '{' || text[i] === '[') {
		let depth = 0;
		let j = i;
		while (j < text.length) {
			const c = text[j];
			if (c === '"') {
				j = endOfString(text, j);
				continue;
			}
			if (c === '{' || c === '[') depth++;
			if (c === '}' || c === ']') depth--;
			j++;
			if (depth === 0) return j;
		}
		return j;
	}
	let j = i;
	while (j < text.length && !/[\s,}\]]/.test(text[j])) j++;
	return j;
}

/**
 * The source text of a top-level member's value ("123", "\"a\"", "{…}"), or undefined when the
 * text is not an object or lacks the member. With duplicate names the last wins, as in JSON.parse.
 */
export function rawMember(text: string, name: string): string | undefined {
	let i = skipSpace(text, 0);
	if (text[i] !== '{') return undefined;
	i = skipSpace(text, i + 1);
	let found: string | undefined;
	while (i < text.length && text[i] === '"') {
		const keyEnd = endOfString(text, i);
		const key = JSON.parse(text.slice(i, keyEnd)) as string;
		i = skipSpace(text, skipSpace(text, keyEnd) + 1);
		const valueEnd = endOfValue(text, i);
		if (key === name) found = text.slice(i, valueEnd);
		i = skipSpace(text, valueEnd);
		if (text[i] === ',') i = skipSpace(text, i + 1);
	}
	return found;
}

/** A member that may be an int64: every digit as a string; '' when absent or null. */
export function int64Member(text: string, name: string): string {
	const raw = rawMember(text, name);
	if (raw === undefined || raw === 'null') return '';
	if (/^-?\d+$/.test(raw)) return raw;
	const value = JSON.parse(raw) as unknown;
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
