import { createCipheriv, createHash, randomBytes } from 'node:crypto';

// Feishu's side of the quick-approval callback [doc D-cb, external-approval-family.md §5]: when an
// approver presses Approve or Reject, Feishu POSTs JSON to the definition's action_callback_url,
// with the definition's token inside, all of it encrypted into `encrypt` when the definition has
// an action_callback_key, and waits at most 10 s for the answer. Written from the documentation,
// apart from the node's own decryption, so a test that round-trips checks both against the doc.

/** Feishu waits this long for the answer [doc D-cb: 10 s; the older Lark page says 5 s]. */
export const FEISHU_WAIT_MS = 10_000;

export interface ActionCallbackPayload {
	action_type: string;
	user_id: string;
	approval_code: string;
	token: string;
	instance_id?: string;
	task_id?: string;
	action_context?: string;
	reason?: string;
	/** An int64 [doc]: written as a bare JSON number with every digit, as Feishu does. */
	message_id?: bigint | string;
	[field: string]: unknown;
}

/** base64(IV ‖ AES-256-CBC(plain)) under SHA-256(key), PKCS#7 padded [doc D-cb, Go sample]. */
export function encryptCallback(plain: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
	const key = createHash('sha256').update(encryptKey, 'utf8').digest();
	const cipher = createCipheriv('aes-256-cbc', key, iv);
	return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/** The payload as JSON text, message_id as a number that JSON.parse would round. */
export function callbackJson(payload: ActionCallbackPayload): string {
	const { message_id: messageId, ...rest } = payload;
	const json = JSON.stringify(rest);
	if (messageId === undefined) return json;
	const digits = String(messageId);
	if (!/^-?\d+$/.test(digits)) throw new Error(`message_id ${digits} is not an integer`);
	return `${json.slice(0, -1)}${json === '{}' ? '' : ','}"message_id":${digits}}`;
}

/** The request body Feishu sends: the JSON itself, or `{"encrypt": …}` when a key is set. */
export function callbackBody(payload: ActionCallbackPayload, encryptKey?: string): string {
	const json = callbackJson(payload);
	return encryptKey ? JSON.stringify({ encrypt: encryptCallback(json, encryptKey) }) : json;
}

export interface CallbackAnswer {
	/** HTTP status; 0 when nothing came back within Feishu's wait. */
	status: number;
	/** The answer's text ('' when none). */
	text: string;
	/** `message` of a JSON answer: what Feishu shows the approver on a failure status [doc D-cb]. */
	message?: string;
	/** What the approver sees, as Feishu decides it from the answer. */
	outcome: 'accepted' | 'refused' | 'failed';
}

/** POSTs a body (already built) to a callback URL as Feishu does, and reads the answer. */
export async function postCallback(url: string, body: string, waitMs = FEISHU_WAIT_MS): Promise<CallbackAnswer> {
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
			body,
			signal: AbortSignal.timeout(waitMs),
		});
	} catch {
		return { status: 0, text: '', outcome: 'failed' };
	}
	const text = await response.text();
	let message: string | undefined;
	try {
		const parsed = JSON.parse(text) as { message?: unknown };
		if (typeof parsed?.message === 'string') message = parsed.message;
	} catch {
		// Not JSON: Feishu shows no message.
	}
	// Success is HTTP 200; on a failure status Feishu shows `message` [doc D-cb]. The page writes
	// "HTTP code > 400", yet the contract refuses with 400: read as >= 400 here [guess], which only
	// a real tenant can settle.
	const outcome = response.status === 200 ? 'accepted' : response.status >= 400 && message ? 'refused' : 'failed';
	return { status: response.status, text, message, outcome };
}

/** Builds and sends one callback: plain, or encrypted with `encryptKey`. */
export async function sendActionCallback(url: string, payload: ActionCallbackPayload, options: { encryptKey?: string; waitMs?: number } = {}): Promise<CallbackAnswer> {
	return await postCallback(url, callbackBody(payload, options.encryptKey), options.waitMs);
}

/**
 * Four envelopes a trigger must refuse for what they decrypt to, each a whole `{"encrypt": …}`
 * body: the payload under another key, whole blocks with bad padding under the right key, plain
 * text that is not JSON under the right key, and the payload with a wrong token inside. One IV for
 * all, so the answers can differ only by what the trigger found inside (a padding oracle's signal).
 */
export function undecryptableEnvelopes(payload: ActionCallbackPayload, encryptKey: string): string[] {
	const iv = Buffer.alloc(16, 9);
	const envelope = (plain: Buffer | string, key = encryptKey): string => {
		const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key, 'utf8').digest(), iv);
		// Raw blocks are encrypted as they are, padding and all.
		if (typeof plain !== 'string') cipher.setAutoPadding(false);
		const data = typeof plain === 'string' ? cipher.update(plain, 'utf8') : cipher.update(plain);
		return JSON.stringify({ encrypt: Buffer.concat([iv, data, cipher.final()]).toString('base64') });
	};
	return [
		envelope(callbackJson(payload), `${encryptKey}-wrong`),
		// Whole blocks ending in 0x00: never valid PKCS#7 padding.
		envelope(Buffer.alloc(48, 0)),
		envelope('approve, not JSON'),
		envelope(callbackJson({ ...payload, token: `${payload.token}-wrong` })),
	];
}
