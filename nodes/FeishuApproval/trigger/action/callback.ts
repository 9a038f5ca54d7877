import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { int64Member } from '../../helpers/rawJson';
import { decryptCallback, tokenMatches } from './callbackCrypto';

// One quick-approval callback [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback], from the raw body to
// the item the trigger emits, or to the refusal it answers. Pure: no n8n, no logging.

/** Far above a real callback (a few hundred bytes, plus attachment links); n8n itself allows 16 MB. */
export const MAX_BODY_BYTES = 128 * 1024;

/** Fields Feishu always sends [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback, "required"]; `token` is checked on its own. */
export const REQUIRED_FIELDS = ['action_type', 'user_id', 'approval_code'] as const;

/**
 * Deepest nesting accepted (objects and arrays, the body itself counting 1). A real callback is 3
 * deep (attachments: a list of objects); n8n copies and saves items recursively, and a body nested
 * thousands deep overflows the stack there.
 */
export const MAX_DEPTH = 32;

/**
 * Why the payload cannot become an item, or undefined: too deep, or a `__proto__` key anywhere,
 * which n8n's copies would turn into a prototype and so drop silently. Iterative, so a hostile
 * depth cannot overflow the check itself.
 */
function shapeProblem(payload: IDataObject): string | undefined {
	const stack: Array<{ value: unknown; depth: number }> = [{ value: payload, depth: 1 }];
	while (stack.length) {
		const { value, depth } = stack.pop()!;
		if (!value || typeof value !== 'object') continue;
		if (depth > MAX_DEPTH) return `The callback nests deeper than ${MAX_DEPTH} levels`;
		for (const key of Object.keys(value)) {
			if (key === '__proto__') return 'The callback has a field named "__proto__", which n8n cannot carry in an item';
			stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
		}
	}
	return undefined;
}

/** Emitted first, in this order, '' when absent, so every item has the same fields to map. */
const NAMED_FIELDS = ['action_type', 'user_id', 'approval_code', 'instance_id', 'task_id', 'reason', 'action_context'] as const;

export interface CallbackCredential {
	callbackToken: string;
	encryptKey?: string;
}

export type CallbackOutcome =
	| { accepted: true; item: IDataObject }
	/** `reason`: the precise cause, for n8n's log only, when the answer must not tell it. */
	| { accepted: false; status: 400 | 401 | 413; message: string; reason?: string };

const refuse = (status: 400 | 401 | 413, message: string): CallbackOutcome => ({ accepted: false, status, message });

/**
 * The one answer to every refusal that depends on what an envelope decrypts to (wrong key, bad
 * padding, plain text that is not JSON, a wrong token inside) and to a wrong token in a plain body.
 * Different answers would be a padding oracle: one captured envelope decrypts, one 16-byte block
 * in about 2,600 requests, and envelopes can then be forged (SECURITY.md). Feishu shows `message` to
 * the approver, so it names what the admin should compare, and nothing the sender did.
 */
export const UNVERIFIED_STATUS = 401;
export const UNVERIFIED_MESSAGE =
	'The callback could not be verified: the Action Callback Token and Key of the approval definition must match the n8n credential';

const unverified = (reason: string): CallbackOutcome => ({ accepted: false, status: UNVERIFIED_STATUS, message: UNVERIFIED_MESSAGE, reason });

function parseObject(text: string): IDataObject | undefined {
	try {
		const value = JSON.parse(text) as unknown;
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Checks and reads one callback body. Order: size, JSON, decryption, token, required fields, so a
 * sender without the token learns nothing about what else the body needs.
 */
export function readCallback(raw: Buffer | string, credential: CallbackCredential): CallbackOutcome {
	const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
	if (size > MAX_BODY_BYTES) return refuse(413, `The callback body has ${size} bytes; at most ${MAX_BODY_BYTES} are accepted`);
	let text = typeof raw === 'string' ? raw : raw.toString('utf8');
	const outer = parseObject(text);
	if (!outer) return refuse(400, 'The callback body is not a JSON object');

	const encryptKey = credential.encryptKey ?? '';
	if (encryptKey) {
		if (typeof outer.encrypt !== 'string') {
			return refuse(400, 'The callback is not encrypted, but the credential has an encrypt key: set the same Action Callback Key on the definition, or remove it from the credential');
		}
		const decrypted = decryptCallback(outer.encrypt, encryptKey);
		// The outer shape (base64 of an IV and whole blocks) says nothing about the key: keep its message.
		if ('malformed' in decrypted) return refuse(400, `The callback cannot be decrypted: ${decrypted.malformed}`);
		if ('problem' in decrypted) return unverified(`the callback cannot be decrypted: ${decrypted.problem}`);
		text = decrypted.text;
	} else if (typeof outer.encrypt === 'string' && outer.token === undefined) {
		return refuse(400, 'The callback is encrypted, but the credential has no encrypt key: copy the definition\'s Action Callback Key into the credential');
	}
	const payload = encryptKey ? parseObject(text) : outer;
	if (!payload) return unverified('the decrypted callback is not a JSON object (a wrong encrypt key, most likely)');

	// A credential without a token accepts nothing (an empty token would match an empty one).
	if (!credential.callbackToken) return unverified('the credential has no callback token');
	if (!tokenMatches(payload.token, credential.callbackToken)) return unverified('invalid callback token');
	// Past the token, an encrypted body still says nothing about its content: CBC lets a sender
	// change the first block of a captured envelope without touching the token.
	const refuseContent = (status: 400, message: string): CallbackOutcome => (encryptKey ? unverified(message) : refuse(status, message));
	const problem = shapeProblem(payload);
	if (problem) return refuseContent(400, problem);
	const missing = REQUIRED_FIELDS.filter((field) => typeof payload[field] !== 'string' || payload[field] === '');
	if (missing.length) return refuseContent(400, `The callback lacks required fields: ${missing.join(', ')}`);

	const rest = { ...payload };
	delete rest.token;
	const item: IDataObject = {};
	const own = (field: string) => (Object.hasOwn(rest, field) ? rest[field] : undefined);
	for (const field of NAMED_FIELDS) item[field] = own(field) ?? '';
	// A search result carries the task id as `id` [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback, "task id, for operations after search"].
	if (item.task_id === '' && typeof own('id') === 'string') item.task_id = own('id');
	item.message_id = int64Member(text, 'message_id');
	item.callback_key = callbackKey(rest, item.message_id as string);
	// Own properties only: `key in item` is true for constructor, toString and the like, which
	// would drop those fields of the payload.
	for (const [key, value] of Object.entries(rest)) if (!Object.hasOwn(item, key)) item[key] = value;
	return { accepted: true, item };
}

/** JSON with every object's keys sorted: the same text for the same payload, whatever the order sent. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry)).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * `callback_key`: SHA-256 of the payload without its token, keys sorted, message_id with every
 * digit. The same press sent again, plain or encrypted under any IV, gives the same key; any other
 * payload another. Feishu's callback has no timestamp, nonce or signature [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback], so a captured
 * body can be replayed and a press may arrive twice: a workflow drops repeats by this key (n8n's
 * Remove Duplicates node, "Remove Items Processed in Previous Executions").
 */
function callbackKey(payload: IDataObject, messageId: string): string {
	const canonical = canonicalJson(messageId ? { ...payload, message_id: messageId } : payload);
	return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
