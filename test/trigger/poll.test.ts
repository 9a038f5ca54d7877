import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DigestSet } from '../../nodes/FeishuApproval/trigger/poll/digestSet';
import { queryKey, rememberedTaskCount, RETAINED_POLLS, seenTaskCount, taskDigest } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';
import type { Poller } from '../helpers/runPoll';
import { createPoller, TRIGGER_NODE } from '../helpers/runPoll';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import type { SeedInstance } from '../helpers/sandbox';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const BASE = Date.UTC(2026, 10, 1);

/** The instance again with all its tasks set to `status` at `time` (a third-party system syncing). */
function turned(instance: SeedInstance, status: string, time: number): SeedInstance {
	return {
		...instance,
		update_time: String(time),
		task_list: instance.task_list.map((task) => ({ ...task, status, update_time: String(time) })),
	};
}

describe('Feishu Approval Trigger, polling through n8n-core\'s PollContext', () => {
	const env = useSandbox();

	/** An app with `seed` synced, and a trigger on it that has made its first poll. */
	async function activated(
		seed: SeedInstance[],
		parameters: INodeParameters = { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' },
	): Promise<{ app: FeishuCredentialData; poller: Poller; first: unknown }> {
		const app = newApp(env.sandbox);
		if (seed.length) await syncInstances(env.sandbox, app, seed);
		const poller = createPoller({ credential: app, parameters });
		const first = await poller.poll();
		return { app, poller, first };
	}

	test('Should emit nothing on the first poll and remember what already matches', async () => {
		const { poller, first } = await activated(makeInstances(CODE, 4, 'REJECTED'));

		expect(first).toBeNull();
		expect(seenTaskCount(poller.nodeStaticData)).toBe(4);
	});

	test('Should emit exactly the three tasks that turned REJECTED since the last poll', async () => {
		const seed = makeInstances(CODE, 5, 'PENDING');
		const { app, poller } = await activated(seed);
		await syncInstances(env.sandbox, app, [1, 2, 4].map((n) => turned(seed[n], 'REJECTED', BASE + 60_000 + n)));
		env.sandbox.clearLog();

		const items = await poller.poll();

		expect(items?.map((item) => item.json.task_id)).toEqual(['inst_1_task_0', 'inst_2_task_0', 'inst_4_task_0']);
		expect(items?.[0].json).toMatchObject({
			instance_id: seed[1].instance_id,
			approval_code: CODE,
			task_status: 'REJECTED',
			task_update_time: String(BASE + 60_001),
			task_update_time_iso: new Date(BASE + 60_001).toISOString(),
		});
		expect(env.sandbox.listRequests()).toHaveLength(1);
	});

	test('Should return null when nothing changed since the last poll', async () => {
		const seed = makeInstances(CODE, 3, 'PENDING');
		const { app, poller } = await activated(seed);
		await syncInstances(env.sandbox, app, [turned(seed[0], 'REJECTED', BASE + 60_000)]);
		expect(await poller.poll()).toHaveLength(1);

		expect(await poller.poll()).toBeNull();
	});

	test('Should fire again for a task re-synced REJECTED with a newer update time', async () => {
		const seed = makeInstances(CODE, 2, 'PENDING');
		const { app, poller } = await activated(seed);
		await syncInstances(env.sandbox, app, [turned(seed[0], 'REJECTED', BASE + 60_000)]);
		await poller.poll();
		await syncInstances(env.sandbox, app, [turned(seed[0], 'REJECTED', BASE + 120_000)]);

		const items = await poller.poll();

		expect(items?.map((item) => [item.json.task_id, item.json.task_update_time])).toEqual([
			['inst_0_task_0', String(BASE + 120_000)],
		]);
	});

	test('Should forget a task once it has been absent from three polls, keeping the memory bounded', async () => {
		const seed = makeInstances(CODE, 3, 'REJECTED');
		const { app, poller } = await activated(seed);
		await syncInstances(env.sandbox, app, [turned(seed[0], 'APPROVED', BASE + 60_000), turned(seed[2], 'APPROVED', BASE + 60_000)]);

		const counts: number[] = [];
		for (let n = 0; n < RETAINED_POLLS; n++) {
			expect(await poller.poll()).toBeNull();
			counts.push(rememberedTaskCount(poller.nodeStaticData));
		}
		expect(counts).toEqual([3, 3, 1]);
		expect(seenTaskCount(poller.nodeStaticData)).toBe(1);
	});

	test('Should give each new memory a random seed of its own, kept from poll to poll', async () => {
		const seed = makeInstances(CODE, 2, 'REJECTED');
		const one = await activated(seed);
		const other = await activated(seed);
		const stored = one.poller.nodeStaticData.seed;

		expect(typeof stored).toBe('number');
		expect(stored).not.toBe(other.poller.nodeStaticData.seed);
		await one.poller.poll();
		expect(one.poller.nodeStaticData.seed).toBe(stored);
	});

	/** Memory as development builds before seeds saved it: seed 0, the last answer only. */
	function releasedMemory(app: { appId: string; baseUrl: string }, instances: SeedInstance[]): IDataObject {
		const digests = new DigestSet();
		for (const instance of instances) {
			for (const task of instance.task_list) {
				digests.add(taskDigest({ approvalCode: CODE, instanceId: instance.instance_id, taskId: task.task_id, updateTime: task.update_time }));
			}
		}
		const query = queryKey({ origin: app.baseUrl, appId: app.appId, approvalCodes: [CODE], status: 'REJECTED', userIds: [] });
		return { [`node:${TRIGGER_NODE}`]: { query, seen: digests.toBytes().toString('base64') } };
	}

	test('Should read memory saved without a seed without firing, then move it to a random seed', async () => {
		const seed = makeInstances(CODE, 4, 'REJECTED');
		const app = newApp(env.sandbox);
		await syncInstances(env.sandbox, app, seed);
		await syncInstances(env.sandbox, app, [turned(seed[3], 'REJECTED', BASE + 60_000)]);
		const poller = createPoller({ credential: app, parameters: { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' }, staticData: releasedMemory(app, seed.slice(0, 3)) });

		expect((await poller.poll())?.map((item) => item.json.instance_id)).toEqual([seed[3].instance_id]);
		expect(typeof poller.nodeStaticData.seed).toBe('number');
		expect(await poller.poll()).toBeNull();
	});

	test('Should keep memory saved without a seed on seed 0 while some of it is absent, and fire nothing twice', async () => {
		const seed = makeInstances(CODE, 4, 'REJECTED');
		const app = newApp(env.sandbox);
		await syncInstances(env.sandbox, app, seed);
		const poller = createPoller({ credential: app, parameters: { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' }, staticData: releasedMemory(app, seed) });
		// Absent from the first poll after the upgrade (left REJECTED), back with its old update time
		// (a REPLACE without a stamp check), so its digest is still one the memory holds.
		await syncInstances(env.sandbox, app, [{ ...turned(seed[1], 'APPROVED', BASE), update_mode: 'REPLACE' }]);

		expect(await poller.poll()).toBeNull();
		expect(poller.nodeStaticData.seed).toBeUndefined();
		await syncInstances(env.sandbox, app, [{ ...seed[1], update_mode: 'REPLACE' }]);
		expect(await poller.poll()).toBeNull();
		expect(typeof poller.nodeStaticData.seed).toBe('number');
		expect(await poller.poll()).toBeNull();
	});

	test('Should emit each instance as the API returns it, carrying only the tasks that fired', async () => {
		// Two tasks, the first already REJECTED before activation; the second turns REJECTED later.
		const [instance] = makeInstances(CODE, 1, 'PENDING', 2);
		instance.task_list[0].status = 'REJECTED';
		const { app, poller } = await activated([instance], { approvalCodes: CODE, status: 'REJECTED', output: 'instances' });
		const later = { ...instance, task_list: [instance.task_list[0], { ...instance.task_list[1], status: 'REJECTED', update_time: String(BASE + 60_000) }] };
		await syncInstances(env.sandbox, app, [later]);

		const items = await poller.poll();

		expect(items).toHaveLength(1);
		expect(items?.[0].json).toEqual({
			instance_id: instance.instance_id,
			approval_id: expect.any(String),
			approval_code: CODE,
			status: 'PENDING',
			update_time: instance.update_time,
			tasks: [{ id: 'inst_0_task_1', status: 'REJECTED', update_time: String(BASE + 60_000) }],
		});
	});

	test('Should record a new baseline instead of firing when the watched status changes', async () => {
		const { poller } = await activated(makeInstances(CODE, 4, 'APPROVED'));
		poller.parameters = { approvalCodes: CODE, status: 'APPROVED', output: 'tasks' };

		expect(await poller.poll()).toBeNull();
		expect(seenTaskCount(poller.nodeStaticData)).toBe(4);
	});

	test('Should split more than 20 approval codes into queries of at most 20', async () => {
		const codes = Array.from({ length: 23 }, (_, n) => `CODE-${String(n).padStart(2, '0')}-AAAA`);
		const seed = codes.map((code) => makeInstances(code, 1, 'PENDING', 1, code)[0]);
		const { app, poller } = await activated(seed, { approvalCodes: codes.join('\n'), status: 'REJECTED', output: 'tasks' });
		await syncInstances(env.sandbox, app, [turned(seed[3], 'REJECTED', BASE + 60_000), turned(seed[22], 'REJECTED', BASE + 60_000)]);
		env.sandbox.clearLog();

		const items = await poller.poll();

		expect(items?.map((item) => item.json.approval_code)).toEqual([codes[3], codes[22]]);
		expect(env.sandbox.listRequests().map((r) => (r.body as { approval_codes: string[] }).approval_codes.length)).toEqual([20, 3]);
	});

	test('Should ask in the approvers mode when user IDs are given', async () => {
		const seed = makeInstances(CODE, 7, 'PENDING');
		// makeInstances assigns user_<n % 7>: instances 2 and 3 belong to the two watched users.
		const { app, poller } = await activated(seed, { approvalCodes: CODE, userIds: 'user_2, user_3', status: 'REJECTED', output: 'tasks' });
		await syncInstances(env.sandbox, app, seed.map((instance, n) => turned(instance, 'REJECTED', BASE + 60_000 + n)));
		env.sandbox.clearLog();

		const items = await poller.poll();

		expect(items?.map((item) => item.json.instance_id)).toEqual([seed[2].instance_id, seed[3].instance_id]);
		expect(env.sandbox.listRequests()[0].body).toEqual({ approval_codes: [CODE], user_ids: ['user_2', 'user_3'], status: 'REJECTED' });
	});

	test('Should fail with no request sent when no approval code is given', async () => {
		const app = newApp(env.sandbox);
		const poller = createPoller({ credential: app, parameters: { approvalCodes: ' , ', status: 'REJECTED' } });
		env.sandbox.clearLog();

		await expect(poller.poll()).rejects.toThrow('Approval Codes is empty');
		expect(env.sandbox.requests).toHaveLength(0);
	});
});

describe('Feishu Approval Trigger, manual test runs', () => {
	const env = useSandbox();

	/** Five instances, each task updated a minute after the one before. */
	async function rejectedApp(count: number): Promise<{ app: FeishuCredentialData; seed: SeedInstance[] }> {
		const app = newApp(env.sandbox);
		const seed = makeInstances(CODE, count, 'PENDING').map((instance, n) => turned(instance, 'REJECTED', BASE + n * 60_000));
		await syncInstances(env.sandbox, app, seed);
		return { app, seed };
	}

	test('Should return the five most recent matches, newest first, before any activation', async () => {
		const { app, seed } = await rejectedApp(8);
		const poller = createPoller({ credential: app, parameters: { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' } });

		const items = await poller.poll('manual');

		expect(items?.map((item) => item.json.instance_id)).toEqual([7, 6, 5, 4, 3].map((n) => seed[n].instance_id));
		expect(poller.savedStaticData).toBe('{}');
	});

	test('Should leave the memory of an active trigger untouched', async () => {
		const { app, seed } = await rejectedApp(6);
		const poller = createPoller({ credential: app, parameters: { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' } });
		await poller.poll();
		const memory = poller.savedStaticData;
		await syncInstances(env.sandbox, app, [turned(seed[0], 'REJECTED', BASE + 3_600_000)]);

		expect(await poller.poll('manual')).toHaveLength(5);
		expect(poller.savedStaticData).toBe(memory);
		// So the change is still news to the next real poll.
		expect((await poller.poll())?.map((item) => item.json.instance_id)).toEqual([seed[0].instance_id]);
	});

	test('Should return null from a manual run when nothing matches', async () => {
		const app = newApp(env.sandbox);
		const poller = createPoller({ credential: app, parameters: { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' } });

		expect(await poller.poll('manual')).toBeNull();
	});
});
