import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { definitionParameters } from '../helpers/fixtures';
import { FEISHU_NODE, runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';
import type { Fault } from '../sandbox';
import { APPROVALS_PATH, TOKEN_PATH } from '../sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const SECRET = 'Sup3r-Distinctive-Secret-7f3a9c';

/** The node's credential test, as the editor runs it, for an app the sandbox does not know, with SECRET. */
async function testCredential(baseUrl: string) {
	const test = new FeishuApproval().methods.credentialTest.feishuApiTest;
	return await test.call({} as ICredentialTestFunctions, {
		id: 'c',
		name: 'c',
		type: 'feishuApi',
		data: { region: 'custom', baseUrl, appId: 'cli_nobody', appSecret: SECRET },
	});
}

describe('Secrets stay secret', () => {
	const env = useSandbox();

	const faults: Array<[string, Fault | undefined]> = [
		['a successful run', undefined],
		['a missing scope', { type: 'permission' }],
		['a refused token', { type: 'code', code: 99991663 }],
		['a plain-text 404', { type: 'notFound' }],
		['a rate limit that does not clear', { type: 'rateLimited', resetSeconds: 3600 }],
	];

	test.each(faults)('Should keep the app secret and the token out of the output and errors of %s', async (_name, fault) => {
		const app = newApp(env.sandbox, SECRET);
		for (const instance of makeInstances(CODE, 3, 'PENDING')) env.sandbox.syncInstance(instance as never, app.appId);
		if (fault) env.sandbox.injectFault(fault, 2);

		const logged: string[] = [];
		const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
			jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
		);
		const { run, error } = await runWorkflow({ credential: app, parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true } });
		spies.forEach((spy) => spy.mockRestore());

		const tokens = env.sandbox
			.listRequests()
			.filter((r) => r.appId === app.appId)
			.map((r) => String(r.headers.authorization).replace('Bearer ', ''));
		expect(tokens.length).toBeGreaterThan(0);
		const everything = [JSON.stringify(run), error?.message, error?.description, error?.stack, JSON.stringify(error), ...logged].join('\n');
		expect(everything).not.toContain(SECRET);
		for (const token of tokens) expect(everything).not.toContain(token);
		if (fault) expect(error).toBeDefined();
	});

	test('Should keep the secret out of the credential test\'s answer', async () => {
		newApp(env.sandbox, 'the-right-one');
		const result = await testCredential(env.sandbox.baseUrl);
		expect(result.status).toBe('Error');
		expect(JSON.stringify(result)).not.toContain(SECRET);
	});
});

// A fresh sandbox: the faults above may leave unused injections queued.
describe('Secrets a server echoes are masked in errors', () => {
	const env = useSandbox();

	const echoes: Array<[string, Fault, string]> = [
		['the token endpoint echoing the request in an HTML 500 page', { type: 'echo', as: 'html', status: 500 }, TOKEN_PATH],
		['the token endpoint echoing the request in a JSON msg', { type: 'echo', as: 'json' }, TOKEN_PATH],
		['the list endpoint echoing the Authorization header in an HTML 500 page', { type: 'echo', as: 'html', status: 500 }, '/open-apis/approval/v4/external_tasks'],
		['the list endpoint echoing the Authorization header in a JSON msg', { type: 'echo', as: 'json' }, '/open-apis/approval/v4/external_tasks'],
	];

	test.each(echoes)('Should mask the app secret and the tenant token when %s', async (_name, fault, path) => {
		const app = newApp(env.sandbox, SECRET);
		env.sandbox.clearLog();
		// An HTML 500 is retried (4 retries), a 400 is not: exactly as many faults as requests, none left for the next test.
		env.sandbox.injectFault(fault, fault.type === 'echo' && fault.as === 'html' ? 5 : 1, { path });

		const { run, error } = await runWorkflow({ credential: app, parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true } });

		expect(error).toBeDefined();
		expect(env.sandbox.requests.filter((r) => r.path === path && r.fault === 'echo').length).toBe(fault.type === 'echo' && fault.as === 'html' ? 5 : 1);
		// The echo reached the error (masked), so the test shows what a user would have seen.
		expect(`${error?.message} ${error?.description}`).toContain('********');
		const tokens = env.sandbox.requests.map((r) => String(r.headers.authorization ?? '').replace('Bearer ', '')).filter(Boolean);
		const everything = [JSON.stringify(run), error?.message, error?.description, error?.stack, JSON.stringify(error)].join('\n');
		expect(everything).not.toContain(SECRET);
		for (const token of tokens) expect(everything).not.toContain(token);
	});

	test('Should mask the callback token and key when Feishu echoes a definition it refused', async () => {
		const app = newApp(env.sandbox, SECRET);
		const callbackToken = 'cb-token-Echo-4k2m9';
		const callbackKey = 'cb-key-Echo-8n1q5';
		env.sandbox.injectFault({ type: 'echo', as: 'json' }, 1, { path: APPROVALS_PATH });

		const { run, error } = await runWorkflow({
			credential: app,
			parameters: definitionParameters({ actionCallbackToken: callbackToken, actionCallbackKey: callbackKey }),
		});

		expect(error?.message).toContain('(code 1390001)');
		// The error's own texts: the node's parameters, which the error carries too, are the workflow's business.
		const rest = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
		delete rest.node;
		const everything = [error?.message, error?.description, error?.stack, JSON.stringify(rest), JSON.stringify(run.data.resultData.runData[FEISHU_NODE]?.[0]?.data ?? null)].join('\n');
		expect(everything).toContain('********');
		for (const secret of [SECRET, callbackToken, callbackKey]) expect(everything).not.toContain(secret);
	});

	test('Should keep the secret out of the credential test\'s answer when the token endpoint echoes the request', async () => {
		newApp(env.sandbox, SECRET);
		env.sandbox.injectFault({ type: 'echo', as: 'html', status: 400 }, 1, { path: TOKEN_PATH });
		const result = await testCredential(env.sandbox.baseUrl);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('********');
		expect(JSON.stringify(result)).not.toContain(SECRET);
	});
});
