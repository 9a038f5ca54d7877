import { seenTaskCount } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';
import { createPoller } from '../helpers/runPoll';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';
import type { ExternalInstanceSync } from '../sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const PARAMETERS = { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' };

describe('Feishu Approval Trigger, when a poll fails', () => {
	const env = useSandbox();

	/** Seeds in process into the app's tenant (newApp makes each app its own tenant): fast for hundreds. */
	function seed(app: FeishuCredentialData, count: number, prefix: string): void {
		for (const instance of makeInstances(CODE, count, 'REJECTED', 1, prefix)) {
			env.sandbox.syncInstance(instance as ExternalInstanceSync, app.appId);
		}
	}

	test('Should throw on a failed second page, keep its memory, and emit everything missed on the next poll', async () => {
		const app = newApp(env.sandbox);
		seed(app, 300, 'old');
		const poller = createPoller({ credential: app, parameters: PARAMETERS });
		expect(await poller.poll()).toBeNull();
		const memory = poller.savedStaticData;
		// 520 matching instances: two pages of at most 500.
		seed(app, 220, 'new');
		env.sandbox.injectFault({ type: 'code', code: 1390001 }, 1, { after: 1 });
		env.sandbox.clearLog();

		await expect(poller.poll()).rejects.toThrow('code 1390001');
		expect(env.sandbox.listRequests().map((r) => r.code)).toEqual([0, 1390001]);
		expect(poller.savedStaticData).toBe(memory);

		const items = await poller.poll();
		expect(items).toHaveLength(220);
		expect(new Set(items?.map((item) => item.json.instance_id))).toEqual(new Set(makeInstances(CODE, 220, 'REJECTED', 1, 'new').map((i) => i.instance_id)));
		expect(seenTaskCount(poller.nodeStaticData)).toBe(520);
		expect(await poller.poll()).toBeNull();
	});

	test('Should throw, not return null, when the app secret is wrong', async () => {
		const app = newApp(env.sandbox, 'right-secret');
		seed(app, 2, 'inst');
		const poller = createPoller({ credential: { ...app, appSecret: 'WRONG-secret-4711' }, parameters: PARAMETERS });

		await expect(poller.poll()).rejects.toThrow('code 10014');
		expect(poller.savedStaticData).toBe('{}');
	});

	test('Should throw and keep its memory when the secret is revoked after activation', async () => {
		const app = newApp(env.sandbox, 'first-secret');
		seed(app, 2, 'inst');
		const poller = createPoller({ credential: app, parameters: PARAMETERS });
		await poller.poll();
		const memory = poller.savedStaticData;
		// The secret is reset in the developer console: the old one no longer gets a token.
		env.sandbox.addApp(app.appId, 'second-secret', app.appId);
		env.sandbox.expireTokens();

		await expect(poller.poll()).rejects.toThrow('code 10014');
		expect(poller.savedStaticData).toBe(memory);
	});

	test('Should name the code, message and log id in the error', async () => {
		const app = newApp(env.sandbox);
		const poller = createPoller({ credential: app, parameters: PARAMETERS });
		env.sandbox.injectFault({ type: 'permission' });

		const error = await poller.poll().then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);

		expect(error?.constructor.name).toBe('NodeApiError');
		expect(error?.message).toContain('code 99991672');
		expect(error?.description).toContain('approval:external_task');
		expect(error?.description).toMatch(/Log ID .*: \S+/);
	});
});
