import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';
import type { Fault } from '../sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const SECRET = 'Sup3r-Distinctive-Secret-7f3a9c';

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
		const test = new FeishuApproval().methods.credentialTest.feishuApiTest;
		const result = await test.call({} as ICredentialTestFunctions, {
			id: 'c',
			name: 'c',
			type: 'feishuApi',
			data: { region: 'custom', baseUrl: env.sandbox.baseUrl, appId: 'cli_nobody', appSecret: SECRET },
		});
		expect(result.status).toBe('Error');
		expect(JSON.stringify(result)).not.toContain(SECRET);
	});
});
