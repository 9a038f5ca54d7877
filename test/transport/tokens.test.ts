import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const PARAMETERS = { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true };

describe('Tenant access tokens', () => {
	const env = useSandbox();
	const shortLived = useSandbox({ tokenExpireSeconds: 1 });

	const exchangesOf = (appId: string, sandbox = env.sandbox) => sandbox.tokenRequests().filter((r) => r.appId === appId).length;

	test('Should exchange the token once for two workflow runs with one credential', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({ credential: app, parameters: PARAMETERS });
		await runWorkflow({ credential: app, parameters: PARAMETERS });
		expect(exchangesOf(app.appId)).toBe(1);
		expect(env.sandbox.listRequests().filter((r) => r.appId === app.appId)).toHaveLength(2);
	});

	test('Should share one exchange between concurrent executions of one credential', async () => {
		const app = newApp(env.sandbox);
		await Promise.all([1, 2, 3].map(async () => await runWorkflow({ credential: app, parameters: PARAMETERS })));
		expect(exchangesOf(app.appId)).toBe(1);
	});

	test('Should give two credentials in one workflow their own tokens and their own data', async () => {
		const a = newApp(env.sandbox);
		const b = newApp(env.sandbox);
		await syncInstances(env.sandbox, a, makeInstances(CODE, 2, 'PENDING', 1, 'a'));
		await syncInstances(env.sandbox, b, makeInstances(CODE, 3, 'PENDING', 1, 'b'));
		env.sandbox.clearLog();

		const { output } = await runWorkflow({
			credential: a,
			credentials: { other: b },
			parameters: PARAMETERS,
			more: [{ parameters: PARAMETERS, credentialId: 'other' }],
		});

		expect(output('Feishu Approval').map((i) => i.json.instance_id)).toEqual(['a_E78F_0', 'a_E78F_1']);
		// The second node runs once per item the first one passed on (two), each time with app b's data.
		expect(output('Feishu Approval 2').map((i) => i.json.instance_id)).toEqual(['b_E78F_0', 'b_E78F_1', 'b_E78F_2', 'b_E78F_0', 'b_E78F_1', 'b_E78F_2']);
		const [first, second] = env.sandbox.listRequests();
		expect(first.appId).toBe(a.appId);
		expect(second.appId).toBe(b.appId);
		expect(first.headers.authorization).not.toBe(second.headers.authorization);
	});

	test('Should not reuse a token cached for the same app id with another secret', async () => {
		const app = newApp(env.sandbox, 'first-secret');
		await runWorkflow({ credential: app, parameters: PARAMETERS });
		const { error } = await runWorkflow({ credential: { ...app, appSecret: 'not-the-secret' }, parameters: PARAMETERS });
		expect(error?.message).toContain('10014');
		expect(exchangesOf(app.appId)).toBe(1);
	});

	test('Should fetch a new token once when every issued token was invalidated', async () => {
		const app = newApp(env.sandbox);
		await runWorkflow({ credential: app, parameters: PARAMETERS });
		env.sandbox.expireTokens();

		const { error } = await runWorkflow({ credential: app, parameters: PARAMETERS });

		expect(error).toBeUndefined();
		expect(exchangesOf(app.appId)).toBe(2);
		expect(env.sandbox.listRequests().filter((r) => r.appId === app.appId || r.code === 99991663).map((r) => r.code)).toEqual([0, 99991663, 0]);
	});

	test('Should fail clearly, without looping, when a fresh token is refused too', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'code', code: 99991663 }, 2);

		const { error } = await runWorkflow({ credential: app, parameters: PARAMETERS });

		expect(error?.message).toContain('99991663');
		expect(error?.description).toContain('even after fetching a new one');
		expect(env.sandbox.listRequests()).toHaveLength(2);
		expect(exchangesOf(app.appId)).toBe(2);
	});

	test('Should name the app id and Feishu\'s message when the token exchange fails', async () => {
		const { error } = await runWorkflow({
			credential: { region: 'custom', baseUrl: env.sandbox.baseUrl, appId: 'cli_unknown_app', appSecret: 'x' },
			parameters: PARAMETERS,
		});
		expect(error?.message).toContain('invalid param (code 10003)');
		expect(error?.description).toContain('cli_unknown_app');
	});

	test('Should refresh a token that is about to expire instead of sending it', async () => {
		const app = newApp(shortLived.sandbox);
		await runWorkflow({ credential: app, parameters: PARAMETERS });
		await runWorkflow({ credential: app, parameters: PARAMETERS });
		// A 1-second token is used for at most half its life, then exchanged again; no request is refused.
		expect(shortLived.sandbox.listRequests().every((r) => r.code === 0)).toBe(true);
		expect(exchangesOf(app.appId, shortLived.sandbox)).toBeGreaterThanOrEqual(1);
	});
});
