import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers, validateNodeCredentials } from 'n8n-workflow';

import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import { ACTION_TRIGGER, startWebhook } from '../helpers/runWebhook';
import { runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';
import { APPROVALS_PATH, sendActionCallback } from '../sandbox';

// Create or Update Definition takes action_callback_token / action_callback_key from the Feishu
// Approval Callback credential, the one the Action Trigger checks callbacks with, so no secret sits
// in the workflow's JSON. Workflows saved with the former parameters keep working without it.

const TOKEN = 'cb-cred-token-5v7w';
const KEY = 'cb-cred-key-5v7w';

const definition = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'externalApproval',
	operation: 'upsert',
	approvalCode: 'purchase_request',
	approvalName: 'Purchase request',
	actionCallbackUrl: 'https://n8n.example.com/webhook/feishu',
	...extra,
});

describe('Create or Update Definition with the Feishu Approval Callback credential', () => {
	const env = useSandbox({ rateLimit: false });
	const writes = () => env.sandbox.requests.filter((r) => r.method === 'POST' && r.path === APPROVALS_PATH);

	test('Should send the credential\'s token and key, trimmed, and keep both out of the workflow and the output', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { run, error } = await runWorkflow({ credential: app, callbackCredential: { callbackToken: ` ${TOKEN}\n`, encryptKey: `${KEY} ` }, parameters: definition() });

		expect(error).toBeUndefined();
		expect((writes()[0].body as { external: object }).external).toMatchObject({ action_callback_token: TOKEN, action_callback_key: KEY });
		expect(JSON.stringify(run)).not.toContain(TOKEN);
		expect(JSON.stringify(run)).not.toContain(KEY);
	});

	test('Should prefer the credential to the deprecated parameters, and send no key when the credential has none', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({
			credential: app,
			callbackCredential: { callbackToken: TOKEN, encryptKey: '' },
			parameters: definition({ actionCallbackToken: 'old-token-in-json', actionCallbackKey: 'old-key-in-json' }),
		});

		expect(error).toBeUndefined();
		const external = (writes()[0].body as { external: Record<string, unknown> }).external;
		expect(external.action_callback_token).toBe(TOKEN);
		expect(external).not.toHaveProperty('action_callback_key');
	});

	test('Should still send the deprecated parameters of a saved workflow when no callback credential is selected', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({ credential: app, parameters: definition({ actionCallbackToken: 'old-token-in-json ', actionCallbackKey: 'old-key-in-json' }) });

		expect(error).toBeUndefined();
		expect((writes()[0].body as { external: object }).external).toMatchObject({ action_callback_token: 'old-token-in-json', action_callback_key: 'old-key-in-json' });
	});

	test('Should write the credential into a JSON body too', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		const body = {
			approval_name: '@i18n@name_key',
			approval_code: 'json_code',
			external: { support_mobile: true, action_callback_url: 'https://n8n.example.com/webhook/feishu' },
			i18n_resources: [{ locale: 'en-US', is_default: true, texts: [{ key: '@i18n@name_key', value: 'Leave' }] }],
		};

		const { error } = await runWorkflow({
			credential: app,
			callbackCredential: { callbackToken: TOKEN, encryptKey: KEY },
			parameters: { resource: 'externalApproval', operation: 'upsert', dataMode: 'json', json: JSON.stringify(body) },
		});

		expect(error).toBeUndefined();
		expect(writes()[0].body).toEqual({ ...body, external: { ...body.external, action_callback_token: TOKEN, action_callback_key: KEY } });
	});

	test('Should let the Action Trigger accept a callback when the credential was pasted with a trailing space', async () => {
		const hook = await startWebhook({ credential: { callbackToken: `${TOKEN} `, encryptKey: `${KEY}\n` } });
		try {
			const answer = await sendActionCallback(hook.url, { action_type: 'APPROVE', user_id: 'u1', approval_code: 'purchase_request', token: TOKEN }, { encryptKey: KEY });
			expect(answer.status).toBe(200);
			expect(hook.output(ACTION_TRIGGER)).toHaveLength(1);
		} finally {
			await hook.close();
		}
	});
});

describe('the callback credential in the node description', () => {
	const nodeType = new FeishuApproval();
	const { description } = nodeType;
	const node = (parameters: INode['parameters'], credentials: INode['credentials'] = { feishuApi: { id: 'a', name: 'a' } }): INode => ({
		id: 'n',
		name: 'Feishu Approval',
		type: 'n8n-nodes-feishu-approval.feishuApproval',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials,
	});

	test('Should offer the Feishu Approval Callback credential on Create or Update Definition only, as optional', () => {
		const callback = description.credentials!.find((c) => c.name === 'feishuApprovalCallbackApi')!;
		expect(callback.required).toBeFalsy();
		const shown = (resource: string, operation: string) => NodeHelpers.displayParameter({ resource, operation }, callback, { typeVersion: 1 }, description);
		expect(shown('externalApproval', 'upsert')).toBe(true);
		expect([shown('externalApproval', 'get'), shown('externalInstance', 'upsert'), shown('externalTask', 'getAll'), shown('actionCallback', 'respond')]).toEqual([false, false, false, false]);
	});

	test('Should pass n8n\'s publish check without a callback credential on Create or Update Definition', () => {
		// validateNodeCredentials is what n8n 2.8.4 runs before it publishes a workflow.
		expect(validateNodeCredentials(node({ resource: 'externalApproval', operation: 'upsert' }), nodeType)).toEqual([]);
		expect(validateNodeCredentials(node({ resource: 'externalApproval', operation: 'upsert' }, { feishuApi: { id: 'a', name: 'a' }, feishuApprovalCallbackApi: { id: 'c', name: 'c' } }), nodeType)).toEqual([]);
	});

	test('Should keep the deprecated token and key parameters readable but not as fields to fill in', () => {
		const params = description.properties.filter((p) => p.name === 'actionCallbackToken' || p.name === 'actionCallbackKey');
		expect(params.map((p) => [p.name, p.type, p.typeOptions?.password])).toEqual([
			['actionCallbackToken', 'hidden', undefined],
			['actionCallbackKey', 'hidden', undefined],
		]);
		// A saved value survives n8n's parameter resolution, so the node still reads it.
		const resolved = NodeHelpers.getNodeParameters(description.properties, { resource: 'externalApproval', operation: 'upsert', actionCallbackToken: 'saved' }, false, false, null, null);
		expect(resolved?.actionCallbackToken).toBe('saved');
	});
});
