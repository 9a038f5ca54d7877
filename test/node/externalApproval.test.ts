import type { INodeParameters } from 'n8n-workflow';

import { definitionParameters } from '../helpers/fixtures';
import { runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';
import { APPROVALS_PATH } from '../sandbox';

const TOKEN = 'cb-token-7f3a9c';
const KEY = 'cb-key-1d2e4b';

const fields = (extra: INodeParameters = {}): INodeParameters => definitionParameters({ actionCallbackToken: TOKEN, actionCallbackKey: KEY, ...extra });

const get = (approvalCode = 'purchase_request'): INodeParameters => ({ resource: 'externalApproval', operation: 'get', approvalCode });

describe('Create or Update Definition and Get Definition', () => {
	const env = useSandbox({ rateLimit: false });
	const writes = () => env.sandbox.requests.filter((r) => r.method === 'POST' && r.path === APPROVALS_PATH);

	test('Should turn the form into the API body with i18n keys, supports where a link is given, and user ids as user_id', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error, items } = await runWorkflow({ credential: app, parameters: fields({ viewers: 'USERS', viewerUserIds: 'u1, u2', managers: 'm1' }) });

		expect(error).toBeUndefined();
		expect(writes()).toHaveLength(1);
		expect(writes()[0].query).toEqual({ user_id_type: 'user_id' });
		expect(writes()[0].body).toEqual({
			approval_name: '@i18n@approval_name',
			approval_code: 'purchase_request',
			group_code: 'procurement',
			group_name: '@i18n@group_name',
			external: {
				support_pc: true,
				support_mobile: false,
				create_link_pc: 'https://erp.example.com/purchase/new',
				action_callback_url: 'https://n8n.example.com/webhook/feishu',
				action_callback_token: TOKEN,
				action_callback_key: KEY,
			},
			viewers: [
				{ viewer_type: 'USER', viewer_user_id: 'u1' },
				{ viewer_type: 'USER', viewer_user_id: 'u2' },
			],
			managers: ['m1'],
			i18n_resources: [
				{
					locale: 'zh-CN',
					is_default: true,
					texts: [
						{ key: '@i18n@approval_name', value: 'Purchase request' },
						{ key: '@i18n@group_name', value: 'Procurement' },
					],
				},
			],
		});
		expect(items.map((i) => i.json)).toEqual([{ approval_code: 'purchase_request' }]);
	});

	test('Should show the definition on both platforms when no create link is given, to everyone by default', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		await runWorkflow({ credential: app, parameters: fields({ pcLink: '' }) });

		expect(writes()[0].body).toMatchObject({ external: { support_pc: true, support_mobile: true }, viewers: [{ viewer_type: 'TENANT' }] });
	});

	test('Should read a definition back with the callback token and key masked', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({ credential: app, parameters: fields() });

		const { error, items } = await runWorkflow({ credential: app, parameters: get() });

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ approval_code: 'purchase_request', external: { action_callback_token: '********', action_callback_key: '********' } });
		expect(JSON.stringify(items)).not.toContain(TOKEN);
		expect(JSON.stringify(items)).not.toContain(KEY);
	});

	test('Should send the JSON body as given and mask secrets in the answer', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		const body = {
			approval_name: '@i18n@name_key',
			approval_code: 'json_code',
			external: { support_mobile: true, action_callback_token: TOKEN },
			i18n_resources: [{ locale: 'en-US', is_default: true, texts: [{ key: '@i18n@name_key', value: 'Leave' }] }],
		};

		const { error, items } = await runWorkflow({
			credential: app,
			parameters: { resource: 'externalApproval', operation: 'upsert', dataMode: 'json', json: '={{ ' + JSON.stringify(body) + ' }}', options: { userIdType: 'open_id' } },
		});

		expect(error).toBeUndefined();
		expect(writes().map((r) => [r.query, r.body])).toEqual([[{ user_id_type: 'open_id' }, body]]);
		expect(items[0].json).toEqual({ approval_code: 'json_code' });
	});

	test('Should fail Get of an unknown code with Feishu\'s 1390002 and what to do', async () => {
		const app = newApp(env.sandbox);

		const { error } = await runWorkflow({ credential: app, parameters: get('nope') });

		expect(error?.message).toContain('approval code not found (code 1390002)');
		expect(error?.description).toContain('Create it first');
	});

	test('Should fail Get of a deleted definition with 1390016', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({ credential: app, parameters: fields() });
		env.sandbox.deleteApproval('purchase_request', app.appId);

		const { error } = await runWorkflow({ credential: app, parameters: get() });

		expect(error?.message).toContain('(code 1390016)');
	});

	test('Should get each item\'s definition and pair it', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({ credential: app, parameters: fields() });
		await runWorkflow({ credential: app, parameters: fields({ approvalCode: 'other' }) });

		const { items } = await runWorkflow({ credential: app, items: [{ c: 'other' }, { c: 'purchase_request' }], parameters: get('={{ $json.c }}') });

		expect(items.map((i) => [i.json.approval_code, i.pairedItem])).toEqual([
			['other', { item: 0 }],
			['purchase_request', { item: 1 }],
		]);
	});

	test('Should never put the callback secrets in an error, even when Feishu names the field', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.injectFault(
			{ type: 'json', status: 400, body: { code: 1390001, msg: 'param is invalid', error: { field_violations: [{ field: 'external.action_callback_token', value: TOKEN, description: 'bad' }] } } },
			1,
			{ path: APPROVALS_PATH },
		);

		const { error } = await runWorkflow({ credential: app, parameters: fields() });

		expect(error?.message).toContain('(code 1390001)');
		expect(error?.description).toContain('external.action_callback_token = ********');
		expect(JSON.stringify({ message: error?.message, description: error?.description })).not.toContain(TOKEN);
	});

	const cases: Array<[string, INodeParameters, string]> = [
		['an empty approval name', { approvalName: '={{ "" }}' }, 'Approval Name is required'],
		['an approval code over 128 characters', { approvalCode: 'c'.repeat(129) }, 'Approval Code has 129 characters; at most 128 are allowed'],
		['Selected Users with no user ids', { viewers: 'USERS', viewerUserIds: '={{ [] }}' }, 'Viewer User IDs is empty'],
		['more than 200 viewers', { viewers: 'USERS', viewerUserIds: '={{ Array.from({ length: 201 }, (_, i) => "u" + i) }}' }, 'Viewer User IDs has 201 entries; at most 200 are allowed'],
		['more than 200 managers', { managers: '={{ Array.from({ length: 201 }, (_, i) => "m" + i) }}' }, 'Managers has 201 entries'],
		['a callback URL that is not http', { actionCallbackUrl: 'ftp://x' }, 'Action Callback URL must start with http'],
		['JSON with a name shorter than 9 characters', { dataMode: 'json', json: JSON.stringify({ approval_name: '@i18n@a', approval_code: 'c', external: { support_pc: true }, i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [{ key: '@i18n@a', value: 'A' }] }] }) }, 'JSON Body: approval_name "@i18n@a" must be at least 9 characters long'],
		['JSON with support_pc and support_mobile both false', { dataMode: 'json', json: JSON.stringify({ approval_name: '@i18n@approval', approval_code: 'c', external: {}, i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [{ key: '@i18n@approval', value: 'A' }] }] }) }, 'JSON Body: external.support_pc and external.support_mobile cannot both be false'],
		['JSON with an unknown locale', { dataMode: 'json', json: JSON.stringify({ approval_name: '@i18n@approval', approval_code: 'c', external: { support_pc: true }, i18n_resources: [{ locale: 'zh', is_default: true, texts: [] }] }) }, 'JSON Body: i18n_resources[0].locale "zh" is not one of'],
	];

	test.each(cases)('Should refuse %s with zero requests sent', async (_name, extra, message) => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({ credential: app, parameters: { ...fields(), ...extra } });

		expect(error?.message).toContain(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(env.sandbox.requests).toHaveLength(0);
	});

	test('Should refuse Get with an empty approval code with zero requests sent', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({ credential: app, parameters: get('={{ "  " }}') });

		expect(error?.message).toContain('Approval Code is required');
		expect(env.sandbox.requests).toHaveLength(0);
	});
});
