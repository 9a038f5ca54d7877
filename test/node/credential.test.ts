import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import { newApp, useSandbox } from '../helpers/sandbox';

// n8n's "Test" button calls the node's credentialTest method with the decrypted credential.
const feishuApiTest = new FeishuApproval().methods.credentialTest.feishuApiTest;
const press = async (data: ICredentialsDecrypted['data']) =>
	await feishuApiTest.call({} as ICredentialTestFunctions, { id: 'c', name: 'c', type: 'feishuApi', data });

describe('credential test', () => {
	const env = useSandbox();

	test('Should pass when Feishu issues a token for the app id and secret', async () => {
		const app = newApp(env.sandbox);
		const result = await press(app);
		expect(result.status).toBe('OK');
		expect(env.sandbox.tokenRequests().filter((r) => (r.body as { app_id?: string }).app_id === app.appId)).toHaveLength(1);
	});

	test('Should fail with Feishu\'s message when the secret is wrong (HTTP 200, code 10014)', async () => {
		const app = newApp(env.sandbox, 'right-secret');
		const result = await press({ ...app, appSecret: 'WRONG-secret-4711' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('10014');
		expect(result.message).toContain('app secret invalid');
		expect(result.message).toContain(app.appId);
		expect(result.message).not.toContain('WRONG-secret-4711');
	});

	test('Should fail naming the code when the app id is unknown (10003)', async () => {
		const result = await press({ region: 'custom', baseUrl: env.sandbox.baseUrl, appId: 'cli_nobody', appSecret: 'x' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('10003');
	});

	test('Should accept a base URL with a trailing slash', async () => {
		const app = newApp(env.sandbox);
		const result = await press({ ...app, baseUrl: `${env.sandbox.baseUrl}/` });
		expect(result.status).toBe('OK');
	});

	test('Should fail clearly when the base URL is not a URL', async () => {
		const result = await press({ region: 'custom', baseUrl: 'open feishu', appId: 'cli_x', appSecret: 'x' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('not a URL');
	});
});
