import { queryKey, seenTaskCount } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';
import { createPoller, TRIGGER_NODE } from '../helpers/runPoll';
import type { SeedInstance } from '../helpers/sandbox';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const PARAMETERS = { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' };
const BASE = Date.UTC(2026, 10, 1);

function rejected(instance: SeedInstance, time: number): SeedInstance {
	return { ...instance, update_time: String(time), task_list: instance.task_list.map((task) => ({ ...task, status: 'REJECTED', update_time: String(time) })) };
}

describe('Feishu Approval Trigger, overlapping polls', () => {
	const env = useSandbox();

	test('Should skip a poll that starts while another poll of the same node runs, so each task fires once', async () => {
		const app = newApp(env.sandbox);
		const seed = makeInstances(CODE, 3, 'PENDING');
		await syncInstances(env.sandbox, app, seed);
		const poller = createPoller({ credential: app, parameters: PARAMETERS });
		await poller.poll();
		await syncInstances(env.sandbox, app, [rejected(seed[0], BASE + 60_000), rejected(seed[2], BASE + 60_000)]);
		// The first poll's answer is slow, so the second tick comes while it is in flight.
		env.sandbox.injectFault({ type: 'delay', ms: 300 });
		env.sandbox.clearLog();

		const results = await Promise.all([poller.poll(), poller.poll(), poller.poll()]);

		expect(results.map((items) => items?.map((item) => item.json.instance_id) ?? null)).toEqual([[seed[0].instance_id, seed[2].instance_id], null, null]);
		expect(env.sandbox.listRequests()).toHaveLength(1);
		expect(await poller.poll()).toBeNull();
	});

	test('Should poll again once the running poll has failed', async () => {
		const app = newApp(env.sandbox);
		const seed = makeInstances(CODE, 2, 'PENDING');
		await syncInstances(env.sandbox, app, seed);
		const poller = createPoller({ credential: app, parameters: PARAMETERS });
		await poller.poll();
		await syncInstances(env.sandbox, app, [rejected(seed[1], BASE + 60_000)]);
		env.sandbox.injectFault({ type: 'code', code: 1390001 });

		await expect(poller.poll()).rejects.toThrow('code 1390001');
		expect((await poller.poll())?.map((item) => item.json.instance_id)).toEqual([seed[1].instance_id]);
	});

	test('Should not hold back a poll of another workflow', async () => {
		const app = newApp(env.sandbox);
		const seed = makeInstances(CODE, 2, 'PENDING');
		await syncInstances(env.sandbox, app, seed);
		const first = createPoller({ credential: app, parameters: PARAMETERS });
		const second = createPoller({ credential: app, parameters: PARAMETERS });
		await Promise.all([first.poll(), second.poll()]);
		await syncInstances(env.sandbox, app, [rejected(seed[0], BASE + 60_000)]);
		env.sandbox.injectFault({ type: 'delay', ms: 200 });

		const [a, b] = await Promise.all([first.poll(), second.poll()]);

		expect([a?.length, b?.length]).toEqual([1, 1]);
	});
});

describe('Feishu Approval Trigger, the poll deadline', () => {
	const env = useSandbox();

	test('Should fail a poll held past its deadline by a 429 wait, keep the memory, and catch up at the next poll', async () => {
		const app = newApp(env.sandbox);
		const seed = makeInstances(CODE, 2, 'PENDING');
		await syncInstances(env.sandbox, app, seed);
		const poller = createPoller({ credential: app, parameters: { ...PARAMETERS, options: { deadline: 0.005 } } });
		await poller.poll();
		const memory = poller.savedStaticData;
		await syncInstances(env.sandbox, app, [rejected(seed[0], BASE + 60_000)]);
		// A 429 asking for a 60 s wait, which the retry policy honours (up to 65 s).
		env.sandbox.injectFault({ type: 'rateLimited', resetSeconds: 60 });
		env.sandbox.clearLog();

		await expect(poller.poll()).rejects.toThrow('The poll did not finish within its deadline of 0.005 minute(s)');
		expect(env.sandbox.listRequests().map((r) => r.status)).toEqual([429]);
		expect(poller.savedStaticData).toBe(memory);

		expect((await poller.poll())?.map((item) => item.json.instance_id)).toEqual([seed[0].instance_id]);
	});

	test('Should abort an answer still in flight at the deadline', async () => {
		const app = newApp(env.sandbox);
		const poller = createPoller({ credential: app, parameters: { ...PARAMETERS, options: { deadline: 0.005 } } });
		env.sandbox.injectFault({ type: 'delay', ms: 20_000 });
		env.sandbox.clearLog();

		const error = await poller.poll().then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);

		expect(error?.message).toContain('deadline');
		expect(error?.description).toContain('the next poll reads every page again');
		// One request, never retried: the abort is not a network failure.
		expect(env.sandbox.listRequests()).toHaveLength(1);
	});

	test('Should refuse a deadline of zero before any request', async () => {
		const app = newApp(env.sandbox);
		const poller = createPoller({ credential: app, parameters: { ...PARAMETERS, options: { deadline: 0 } } });
		env.sandbox.clearLog();

		await expect(poller.poll()).rejects.toThrow('Poll Deadline must be a number of minutes above 0');
		expect(env.sandbox.requests).toHaveLength(0);
	});
});

describe('Feishu Approval Trigger, upgrading from version 0.1', () => {
	const env = useSandbox();

	test('Should convert the memory of version 0.1 and fire only what changed since', async () => {
		const app = newApp(env.sandbox);
		const seed = makeInstances(CODE, 3, 'REJECTED');
		await syncInstances(env.sandbox, app, seed);
		// What 0.1 saved after seeing the three rejections.
		const v1 = {
			query: queryKey({ origin: env.sandbox.baseUrl, appId: app.appId, approvalCodes: [CODE], status: 'REJECTED', userIds: [] }),
			seen: { [CODE]: Object.fromEntries(seed.map((i) => [i.instance_id, { [i.task_list[0].task_id]: i.task_list[0].update_time }])) },
		};
		const poller = createPoller({ credential: app, parameters: PARAMETERS, staticData: { [`node:${TRIGGER_NODE}`]: v1 } });
		await syncInstances(env.sandbox, app, [rejected(seed[1], BASE + 60_000)]);

		const items = await poller.poll();

		expect(items?.map((item) => item.json.instance_id)).toEqual([seed[1].instance_id]);
		expect(typeof poller.nodeStaticData.seen).toBe('string');
		expect(seenTaskCount(poller.nodeStaticData)).toBe(3);
		expect(await poller.poll()).toBeNull();
	});
});
