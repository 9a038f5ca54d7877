import { MAX_BODY_BYTES, MAX_DEPTH, readCallback, UNVERIFIED_MESSAGE } from '../../nodes/FeishuApproval/trigger/action/callback';
import type { ActionCallbackPayload } from '../sandbox/actionCallback';
import { callbackBody, callbackJson, encryptCallback, undecryptableEnvelopes } from '../sandbox/actionCallback';

const TOKEN = 'cb-token-Zq81';
const KEY = 'cb-key-Zq81';
/** The payload's fields that the item carries as sent. */
const FIELDS = {
	action_type: 'REJECT',
	user_id: '112321',
	approval_code: 'PURCHASE',
	instance_id: 'PR-1001',
	task_id: 'PR-1001-t1',
	reason: '预算不足',
	action_context: 'ctx-1',
};
const payload = (over: Partial<ActionCallbackPayload> = {}): ActionCallbackPayload => ({
	...FIELDS,
	message_id: 7253010294417866753n,
	token: TOKEN,
	...over,
});

describe('reading a quick-approval callback', () => {
	test('a plain callback with the right token gives the fields, message_id with every digit, no token', () => {
		const outcome = readCallback(callbackBody(payload({ attachments: [{ file_name: 'a.pdf' }] })), { callbackToken: TOKEN });
		expect(outcome).toEqual({
			accepted: true,
			item: {
				...FIELDS,
				message_id: '7253010294417866753',
				callback_key: expect.stringMatching(/^[0-9a-f]{64}$/),
				attachments: [{ file_name: 'a.pdf' }],
			},
		});
	});

	test('an encrypted callback is decrypted with the credential\'s key', () => {
		const outcome = readCallback(Buffer.from(callbackBody(payload(), KEY)), { callbackToken: TOKEN, encryptKey: KEY });
		expect(outcome).toMatchObject({ accepted: true, item: { action_type: 'REJECT', message_id: '7253010294417866753' } });
		expect(JSON.stringify(outcome)).not.toContain(TOKEN);
	});

	test('absent optional fields are empty strings; a search result\'s `id` is the task id', () => {
		const outcome = readCallback(callbackJson({ action_type: 'APPROVE', user_id: 'u1', approval_code: 'C', id: 'task-9', token: TOKEN }), { callbackToken: TOKEN });
		expect(outcome).toMatchObject({ accepted: true, item: { instance_id: '', task_id: 'task-9', reason: '', action_context: '', message_id: '', id: 'task-9' } });
	});

	test.each([
		['a wrong token', callbackBody(payload({ token: 'cb-token-Zq82' })), {}, 401, /could not be verified/],
		['no token', callbackJson({ ...payload(), token: undefined as unknown as string }), {}, 401, /could not be verified/],
		['an encrypted callback with a wrong token', callbackBody(payload({ token: 'nope' }), KEY), { encryptKey: KEY }, 401, /could not be verified/],
		['a body that is not JSON', 'action_type=APPROVE', {}, 400, /not a JSON object/],
		['a JSON array', '[]', {}, 400, /not a JSON object/],
		['a plain body when the credential has an encrypt key', callbackBody(payload()), { encryptKey: KEY }, 400, /not encrypted/],
		['an encrypted body when the credential has no key', callbackBody(payload(), KEY), {}, 400, /no encrypt key/],
		['a body encrypted with another key', callbackBody(payload(), 'other-key'), { encryptKey: KEY }, 401, /could not be verified/],
		['an encrypted callback without required fields', callbackBody(payload({ user_id: '' }), KEY), { encryptKey: KEY }, 401, /could not be verified/],
		['an encrypt field that is not base64', '{"encrypt":"%%%"}', { encryptKey: KEY }, 400, /cannot be decrypted/],
		['missing required fields', callbackJson({ ...payload(), user_id: '', approval_code: undefined as unknown as string }), {}, 400, /lacks required fields: user_id, approval_code/],
		['a body over the size limit', callbackJson(payload({ reason: 'x'.repeat(MAX_BODY_BYTES) })), {}, 413, /at most/],
	])('%s is refused', (_name, body, credential, status, message) => {
		const outcome = readCallback(body, { callbackToken: TOKEN, ...credential });
		expect(outcome).toMatchObject({ accepted: false, status });
		expect(outcome.accepted === false && outcome.message).toMatch(message);
		expect(JSON.stringify(outcome)).not.toContain(TOKEN);
		expect(JSON.stringify(outcome)).not.toContain(KEY);
	});

	test('every refusal that depends on what an envelope decrypts to is one answer; the precise reason is kept for the log', () => {
		const credential = { callbackToken: TOKEN, encryptKey: KEY };
		const outcomes = undecryptableEnvelopes(payload(), KEY).map((body) => readCallback(body, credential));
		for (const outcome of outcomes) expect(outcome).toMatchObject({ accepted: false, status: 401, message: UNVERIFIED_MESSAGE });
		const reasons = outcomes.map((outcome) => (outcome.accepted ? '' : outcome.reason));
		expect(new Set(reasons).size).toBe(3);
		expect(reasons[3]).toMatch(/invalid callback token/);
		expect(JSON.stringify(outcomes)).not.toContain(KEY);
	});

	test('callback_key is the same for the same payload, plain or encrypted under any IV, and differs for any other payload', () => {
		const key = (body: string, encryptKey?: string) => {
			const outcome = readCallback(body, { callbackToken: TOKEN, encryptKey });
			if (!outcome.accepted) throw new Error(outcome.reason ?? outcome.message);
			return outcome.item.callback_key;
		};
		const same = [
			key(callbackBody(payload())),
			key(callbackBody(payload())),
			key(callbackBody(payload(), KEY), KEY),
			key(callbackBody(payload(), KEY), KEY),
			// The same fields in another order.
			key(JSON.stringify(Object.fromEntries(Object.entries({ ...payload(), message_id: undefined }).reverse())).replace(/}$/, ',"message_id":7253010294417866753}')),
		];
		expect(new Set(same).size).toBe(1);
		expect(same[0]).toMatch(/^[0-9a-f]{64}$/);
		const others = [
			key(callbackBody(payload({ action_type: 'APPROVE' }))),
			key(callbackBody(payload({ reason: '预算不足 ' }))),
			// message_id differs only past 2^53: JSON.parse alone would make the two equal.
			key(callbackBody(payload({ message_id: 7253010294417866754n }))),
			key(callbackBody(payload({ task_id: 'PR-1001-t2' }), KEY), KEY),
		];
		expect(new Set([same[0], ...others]).size).toBe(5);
	});

	test('callback_key does not depend on the token, so it reveals nothing about it', () => {
		const key = (token: string) => {
			const outcome = readCallback(callbackBody(payload({ token })), { callbackToken: token });
			return outcome.accepted ? outcome.item.callback_key : undefined;
		};
		expect(key('token-one-Zq81')).toBe(key('token-two-Zq81'));
	});

	test('fields named like Object.prototype members are kept, each as an own field', () => {
		const outcome = readCallback(callbackJson(payload({ constructor: 'c', toString: 't', hasOwnProperty: 'h', valueOf: { n: 1 } })), { callbackToken: TOKEN });
		expect(outcome.accepted).toBe(true);
		const item = outcome.accepted ? outcome.item : {};
		for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) expect(Object.hasOwn(item, key)).toBe(true);
		expect(item).toMatchObject({ constructor: 'c', toString: 't', hasOwnProperty: 'h', valueOf: { n: 1 } });
	});

	test.each([
		['at the top', (token: string) => `{"action_type":"APPROVE","user_id":"u","approval_code":"C","token":"${token}","__proto__":{"polluted":true}}`],
		['nested', (token: string) => `{"action_type":"APPROVE","user_id":"u","approval_code":"C","token":"${token}","attachments":[{"__proto__":{"x":1}}]}`],
	])('a "__proto__" field %s is refused clearly, never dropped in silence', (_name, body) => {
		const outcome = readCallback(body(TOKEN), { callbackToken: TOKEN });
		expect(outcome).toMatchObject({ accepted: false, status: 400, message: expect.stringContaining('"__proto__"') });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test(`a callback nested deeper than ${MAX_DEPTH} levels is refused; ${MAX_DEPTH} levels are accepted`, () => {
		const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
		const body = (levels: number) => callbackJson(payload()).replace(/}$/, `,"extra":${nested(levels - 1)}}`);
		expect(readCallback(body(MAX_DEPTH), { callbackToken: TOKEN })).toMatchObject({ accepted: true });
		expect(readCallback(body(MAX_DEPTH + 1), { callbackToken: TOKEN })).toMatchObject({ accepted: false, status: 400, message: expect.stringContaining(`deeper than ${MAX_DEPTH}`) });
		// Far deeper than any stack: refused by the check, which does not recurse.
		const deepArrays = callbackJson(payload()).replace(/}$/, `,"extra":${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
		expect(readCallback(deepArrays, { callbackToken: TOKEN })).toMatchObject({ accepted: false, status: 400 });
		// Encrypted, it is one more refusal that depends on what the envelope decrypts to.
		expect(readCallback(JSON.stringify({ encrypt: encryptCallback(body(MAX_DEPTH + 1), KEY) }), { callbackToken: TOKEN, encryptKey: KEY })).toMatchObject({ accepted: false, status: 401, message: UNVERIFIED_MESSAGE });
	});

	test('a credential without a token accepts nothing, not even an empty token', () => {
		expect(readCallback(callbackJson(payload({ token: '' })), { callbackToken: '' })).toMatchObject({ accepted: false, status: 401 });
	});
});
