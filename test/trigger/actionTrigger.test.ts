import { UNVERIFIED_MESSAGE } from '../../nodes/FeishuApproval/trigger/action/callback';
import type { CallbackCredentialData, WebhookHarness, WebhookHarnessOptions } from '../helpers/runWebhook';
import { ACTION_TRIGGER, RESPOND_NODE, startWebhook } from '../helpers/runWebhook';
import { runWorkflow } from '../helpers/runWorkflow';
import type { ActionCallbackPayload } from '../sandbox/actionCallback';
import { callbackBody, postCallback, sendActionCallback, undecryptableEnvelopes } from '../sandbox/actionCallback';

// The Feishu Approval Action Trigger through n8n-core's WebhookContext and WorkflowExecute, with
// callbacks sent over HTTP as Feishu sends them (test/sandbox/actionCallback.ts).

const TOKEN = 'cb-token-Hk42-not-in-logs';
const KEY = 'cb-key-Hk42-not-in-logs';
const plainCredential: CallbackCredentialData = { callbackToken: TOKEN, encryptKey: '' };
const encryptedCredential: CallbackCredentialData = { callbackToken: TOKEN, encryptKey: KEY };

/** The press's fields that reach the workflow as sent. */
const FIELDS = {
	action_type: 'APPROVE',
	user_id: '112321',
	approval_code: 'PURCHASE_REQUEST',
	instance_id: 'PR-2001',
	task_id: 'PR-2001-manager',
	reason: '同意',
	action_context: 'ctx-PR-2001',
};
const press = (over: Partial<ActionCallbackPayload> = {}): ActionCallbackPayload => ({
	...FIELDS,
	message_id: 7253010294417866753n,
	token: TOKEN,
	...over,
});

const open: WebhookHarness[] = [];
async function trigger(options: WebhookHarnessOptions): Promise<WebhookHarness> {
	const harness = await startWebhook(options);
	open.push(harness);
	return harness;
}
afterEach(async () => {
	for (const harness of open.splice(0)) await harness.close();
});

const respondRefuse = { resource: 'actionCallback', operation: 'respond', decision: 'refuse', message: '采购单已撤回 (withdrawn in the purchasing system)' };

describe('Feishu Approval Action Trigger', () => {
	test('a callback with the right token starts one execution with the fields, message_id with every digit, no token', async () => {
		const hook = await trigger({ credential: plainCredential });
		const answer = await sendActionCallback(hook.url, press({ attachments: [{ file_type: 'IMAGE', file_name: 'quote.png' }] }));
		expect(answer).toMatchObject({ status: 200, outcome: 'accepted' });
		expect(hook.executions).toHaveLength(1);
		const [item] = hook.output(ACTION_TRIGGER);
		expect(item).toEqual({
			...FIELDS,
			message_id: '7253010294417866753',
			callback_key: expect.stringMatching(/^[0-9a-f]{64}$/),
			attachments: [{ file_type: 'IMAGE', file_name: 'quote.png' }],
		});
		expect(JSON.stringify(hook.executions)).not.toContain(TOKEN);
	});

	test('a wrong token gets 401 with a message and starts no execution; the log names neither token', async () => {
		const hook = await trigger({ credential: plainCredential });
		const wrong = 'cb-token-Hk42-WRONG-guess';
		const answer = await sendActionCallback(hook.url, press({ token: wrong }));
		expect(answer).toMatchObject({ status: 401, message: UNVERIFIED_MESSAGE });
		expect(hook.executions).toHaveLength(0);
		expect(hook.warnings).toHaveLength(1);
		expect(hook.warnings[0]).toMatch(/HTTP 401: invalid callback token/);
		expect(hook.warnings.join()).not.toContain(wrong);
		expect(hook.warnings.join()).not.toContain(TOKEN);
	});

	test('an encrypted callback is decrypted with the credential\'s encrypt key', async () => {
		const hook = await trigger({ credential: encryptedCredential });
		const answer = await sendActionCallback(hook.url, press({ action_type: 'REJECT' }), { encryptKey: KEY });
		expect(answer.status).toBe(200);
		expect(hook.executions).toHaveLength(1);
		expect(hook.output(ACTION_TRIGGER)[0]).toMatchObject({ action_type: 'REJECT', instance_id: 'PR-2001', message_id: '7253010294417866753' });
		expect(hook.output(ACTION_TRIGGER)[0]).not.toHaveProperty('encrypt');
	});

	test.each([
		['a plain body to a trigger whose credential has an encrypt key', encryptedCredential, callbackBody(press()), 'application/json', 400, /not encrypted/],
		['a body encrypted with another key', encryptedCredential, JSON.stringify({ encrypt: Buffer.alloc(48, 1).toString('base64') }), 'application/json', 401, /could not be verified/],
		['an encrypt field that is not base64 of whole blocks', encryptedCredential, JSON.stringify({ encrypt: Buffer.alloc(40, 1).toString('base64') }), 'application/json', 400, /cannot be decrypted/],
		['an encrypted body to a trigger without a key', plainCredential, callbackBody(press(), KEY), 'application/json', 400, /no encrypt key/],
		['a body that is not JSON (text/plain)', plainCredential, 'approve please', 'text/plain', 400, /not a JSON object/],
		['a callback without user_id', plainCredential, callbackBody(press({ user_id: '' })), 'application/json', 400, /lacks required fields: user_id/],
		['a body over the size limit', plainCredential, callbackBody(press({ reason: 'x'.repeat(200_000) })), 'application/json', 413, /at most/],
	])('%s is refused with no execution', async (_name, credential, body, contentType, status, message) => {
		const hook = await trigger({ credential });
		const response = await fetch(hook.url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
		const answer = (await response.json()) as { message: string };
		expect(response.status).toBe(status);
		expect(answer.message).toMatch(message);
		expect(hook.executions).toHaveLength(0);
		expect(hook.warnings.join()).not.toContain(KEY);
	});

	test('four envelopes refused for what they decrypt to get byte-identical answers and no execution; only the log tells them apart', async () => {
		const hook = await trigger({ credential: encryptedCredential });
		const bodies = undecryptableEnvelopes(press(), KEY);
		const answers = [];
		for (const body of bodies) {
			const response = await fetch(hook.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
			answers.push({ status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()).toString('hex') });
		}
		expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
		expect(answers[0].status).toBe(401);
		expect(JSON.parse(Buffer.from(answers[0].body, 'hex').toString())).toEqual({ message: UNVERIFIED_MESSAGE });
		expect(hook.executions).toHaveLength(0);
		expect(hook.warnings).toHaveLength(4);
		expect(hook.warnings[2]).toMatch(/not a JSON object/);
		expect(hook.warnings[3]).toMatch(/invalid callback token/);
		expect(hook.warnings.join()).not.toContain(KEY);
		expect(hook.warnings.join()).not.toContain(TOKEN);
	});

	test('the same press sent plain twice and encrypted twice gives one callback_key; another press another', async () => {
		const plain = await trigger({ credential: plainCredential });
		const encrypted = await trigger({ credential: encryptedCredential });
		for (let n = 0; n < 2; n++) {
			expect((await sendActionCallback(plain.url, press())).status).toBe(200);
			expect((await sendActionCallback(encrypted.url, press(), { encryptKey: KEY })).status).toBe(200);
		}
		expect((await sendActionCallback(plain.url, press({ action_type: 'REJECT' }))).status).toBe(200);
		const keys = [0, 1].flatMap((n) => [plain.output(ACTION_TRIGGER, n)[0].callback_key, encrypted.output(ACTION_TRIGGER, n)[0].callback_key]);
		expect(new Set(keys).size).toBe(1);
		expect(plain.output(ACTION_TRIGGER, 2)[0].callback_key).not.toBe(keys[0]);
	});

	test('fields named constructor or toString reach the workflow; a deeply nested or __proto__ body starts no execution', async () => {
		const hook = await trigger({ credential: plainCredential });
		expect((await sendActionCallback(hook.url, press({ constructor: 'kept', toString: 'kept too' }))).status).toBe(200);
		expect(hook.output(ACTION_TRIGGER)[0]).toMatchObject({ constructor: 'kept', toString: 'kept too' });
		const deep = callbackBody(press()).replace(/}$/, `,"extra":${'['.repeat(5000)}${']'.repeat(5000)}}`);
		const proto = callbackBody(press()).replace(/}$/, ',"__proto__":{"isAdmin":true}}');
		for (const body of [deep, proto]) {
			const answer = await postCallback(hook.url, body);
			expect(answer.status).toBe(400);
			expect(answer.message).toMatch(/deeper than|__proto__/);
		}
		expect(hook.executions).toHaveLength(1);
	});

	test('JSON that n8n cannot parse never reaches the trigger (n8n answers 422)', async () => {
		const hook = await trigger({ credential: plainCredential });
		expect((await postCallback(hook.url, '{"action_type":')).status).toBe(422);
		expect(hook.executions).toHaveLength(0);
	});

	test('"When Last Node Finishes" answers 200 with the last node\'s first item after the run', async () => {
		const hook = await trigger({ credential: plainCredential, parameters: { responseMode: 'lastNode' } });
		const answer = await sendActionCallback(hook.url, press());
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text)).toMatchObject({ action_type: 'APPROVE', message_id: '7253010294417866753' });
		expect(hook.executions).toHaveLength(1);
	});
});

describe('Respond to Feishu', () => {
	test('a refusal answers HTTP 400 with its message, which Feishu shows the approver', async () => {
		const hook = await trigger({ credential: plainCredential, parameters: { responseMode: 'responseNode' }, respond: respondRefuse });
		const answer = await sendActionCallback(hook.url, press());
		expect(answer).toMatchObject({ status: 400, message: respondRefuse.message, outcome: 'refused' });
		expect(hook.executions).toHaveLength(1);
		expect(hook.executions[0].data.resultData.error).toBeUndefined();
		// The items pass through for the nodes after it.
		expect(hook.output(RESPOND_NODE)[0]).toMatchObject({ instance_id: 'PR-2001' });
	});

	test('an acceptance answers HTTP 200, with no Feishu app credential on the node', async () => {
		const hook = await trigger({
			credential: encryptedCredential,
			parameters: { responseMode: 'responseNode' },
			respond: { resource: 'actionCallback', operation: 'respond', decision: 'accept' },
		});
		const answer = await sendActionCallback(hook.url, press(), { encryptKey: KEY });
		expect(answer).toMatchObject({ status: 200, outcome: 'accepted' });
		expect(hook.executions).toHaveLength(1);
	});

	test('"Using Respond to Feishu" without that node is a configuration error, as n8n\'s Webhook node does it', async () => {
		const hook = await trigger({ credential: plainCredential, parameters: { responseMode: 'responseNode' } });
		const answer = await sendActionCallback(hook.url, press());
		expect(answer.status).toBe(500);
		expect(hook.executions).toHaveLength(1);
		expect(hook.executions[0].data.resultData.error?.message).toMatch(/No Respond to Feishu node/);
	});

	test('a Respond to Feishu node under "Immediately" is a configuration error too', async () => {
		const hook = await trigger({ credential: plainCredential, parameters: { responseMode: 'onReceived' }, respond: respondRefuse });
		expect((await sendActionCallback(hook.url, press())).status).toBe(500);
		expect(hook.executions[0].data.resultData.error?.message).toMatch(/Unused Respond to Feishu node/);
	});

	test('a refusal without a message fails the node instead of answering an empty refusal', async () => {
		const hook = await trigger({ credential: plainCredential, parameters: { responseMode: 'responseNode' }, respond: { ...respondRefuse, message: '  ' } });
		const answer = await sendActionCallback(hook.url, press());
		expect(answer.status).toBe(500);
		expect(hook.executions[0].data.resultData.error?.message).toMatch(/Message is required to refuse/);
	});

	test('without an Action Trigger before it, it fails and says why', async () => {
		const { error } = await runWorkflow({
			credential: { region: 'custom', baseUrl: 'http://127.0.0.1:9', appId: 'unused', appSecret: 'unused' },
			parameters: { resource: 'actionCallback', operation: 'respond', decision: 'accept' },
		});
		expect(error?.message).toMatch(/answers a Feishu Approval Action Trigger, and none comes before this node/);
	});

	test('a wrong token is refused before the configuration is looked at', async () => {
		const hook = await trigger({ credential: plainCredential, parameters: { responseMode: 'responseNode' } });
		expect((await sendActionCallback(hook.url, press({ token: 'nope' }))).status).toBe(401);
		expect(hook.executions).toHaveLength(0);
	});
});
