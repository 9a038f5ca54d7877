import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';

import type { ICredentialTestFunctions } from 'n8n-workflow';

import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import { runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';

// The app secret goes to the credential's Base URL, the callback token to the definition's
// Action Callback URL: both must be https, except loopback (the sandbox, tests).

/** A TCP listener on every interface that counts connections: proof that nothing was even tried. */
async function listenEverywhere(): Promise<{ host: string; port: number; connections: () => number; close: () => Promise<void> }> {
	let connections = 0;
	const sockets: Socket[] = [];
	const server: Server = createServer((socket) => {
		connections++;
		sockets.push(socket);
		socket.destroy();
	});
	await new Promise<void>((listening) => server.listen(0, '0.0.0.0', listening));
	const { port } = server.address() as { port: number };
	// A non-loopback address of this machine, so http:// would reach the listener if it were tried.
	const external = Object.values(networkInterfaces())
		.flat()
		.find((a) => a && a.family === 'IPv4' && !a.internal);
	return {
		host: external?.address ?? '192.0.2.1',
		port,
		connections: () => connections,
		close: async () => await new Promise((closed) => server.close(() => closed())),
	};
}

describe('https only, except loopback', () => {
	const env = useSandbox({ rateLimit: false });
	let listener: Awaited<ReturnType<typeof listenEverywhere>>;
	beforeAll(async () => (listener = await listenEverywhere()));
	afterAll(async () => await listener.close());

	test('Should refuse an http:// Base URL to a non-loopback host, naming https, before any connection', async () => {
		const baseUrl = `http://${listener.host}:${listener.port}`;
		const { error } = await runWorkflow({
			credential: { region: 'custom', baseUrl, appId: 'cli_plain_http', appSecret: 'secret-never-sent' },
			parameters: { queryBy: 'status', approvalCodes: 'CODE', status: 'PENDING', returnAll: true },
		});
		expect(error?.message).toMatch(/Base URL must use https:\/\//);
		expect(error?.message).toContain('loopback');
		expect(listener.connections()).toBe(0);
	});

	test('Should refuse it in the credential test too, before any connection', async () => {
		const test = new FeishuApproval().methods.credentialTest.feishuApiTest;
		const result = await test.call({} as ICredentialTestFunctions, {
			id: 'c',
			name: 'c',
			type: 'feishuApi',
			data: { region: 'custom', baseUrl: `http://${listener.host}:${listener.port}/`, appId: 'cli_plain_http', appSecret: 'secret-never-sent' },
		});
		expect(result).toMatchObject({ status: 'Error' });
		expect(result.message).toMatch(/must use https:\/\//);
		expect(listener.connections()).toBe(0);
	});

	test.each([
		['127.0.0.1', (port: number) => `http://127.0.0.1:${port}`],
		['127.1 (another 127.0.0.0/8 spelling)', (port: number) => `http://127.1:${port}`],
		['localhost', (port: number) => `http://localhost:${port}`],
	])('Should accept http:// to loopback: %s', async (_name, url) => {
		const app = newApp(env.sandbox);
		const { error } = await runWorkflow({
			credential: { ...app, baseUrl: url(env.sandbox.port) },
			parameters: { queryBy: 'status', approvalCodes: 'CODE', status: 'PENDING', returnAll: true },
		});
		expect(error).toBeUndefined();
	});

	test.each([
		['an http:// Action Callback URL to a non-loopback host', 'http://n8n.example.com/webhook/x/callback', /Action Callback URL must use https:\/\//],
		['an Action Callback URL that is not a URL', 'n8n.example.com/webhook', /Action Callback URL "n8n.example.com\/webhook" is not a URL|must start with http/],
	])('Should refuse %s with zero requests sent', async (_name, actionCallbackUrl, message) => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		const { error } = await runWorkflow({
			credential: app,
			parameters: { resource: 'externalApproval', operation: 'upsert', approvalCode: 'c', approvalName: 'Purchase request', actionCallbackUrl },
		});
		expect(error?.message).toMatch(message);
		expect(env.sandbox.requests).toHaveLength(0);
	});

	test('Should refuse an http:// action_callback_url in a JSON body too', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		const json = {
			approval_name: '@i18n@approval',
			approval_code: 'c',
			external: { support_pc: true, action_callback_url: 'http://10.0.0.8/webhook' },
			i18n_resources: [{ locale: 'zh-CN', is_default: true, texts: [{ key: '@i18n@approval', value: 'Approval' }] }],
		};
		const { error } = await runWorkflow({ credential: app, parameters: { resource: 'externalApproval', operation: 'upsert', dataMode: 'json', json: JSON.stringify(json) } });
		expect(error?.message).toMatch(/JSON Body: external.action_callback_url must use https:\/\//);
		expect(env.sandbox.requests).toHaveLength(0);
	});

	test('Should accept an https:// Action Callback URL, and http:// to [::1]', async () => {
		const app = newApp(env.sandbox);
		for (const actionCallbackUrl of ['https://n8n.example.com/webhook/x/callback', 'http://[::1]:5678/webhook/x/callback']) {
			const { error } = await runWorkflow({
				credential: app,
				parameters: { resource: 'externalApproval', operation: 'upsert', approvalCode: 'c', approvalName: 'Purchase request', actionCallbackUrl },
			});
			expect(error).toBeUndefined();
		}
	});
});
