import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runWorkflow } from '../helpers/runWorkflow';
import { newApp, useSandbox } from '../helpers/sandbox';
import type { Sandbox } from '../sandbox';
import { CHECK_PATH } from '../sandbox';

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const t = (n: number) => String(T0 + n);

const check: INodeParameters = {
	resource: 'externalInstance',
	operation: 'check',
	instanceId: '={{ $json.id }}',
	updateTime: '={{ $json.time }}',
	tasks: '={{ $json.tasks }}',
};

function seed(sandbox: Sandbox, tenant: string, id: string, tasks: string[]): void {
	sandbox.syncInstance(
		{ approval_code: 'c', instance_id: id, status: 'PENDING', update_time: t(0), task_list: tasks.map((task) => ({ task_id: task, user_id: 'u', status: 'PENDING', update_time: t(0) })) },
		tenant,
	);
}

describe('Check Instances', () => {
	const env = useSandbox({ rateLimit: false });
	const checks = () => env.sandbox.requests.filter((r) => r.path === CHECK_PATH);

	test('Should say per item whether Feishu is up to date, with Feishu\'s stamps for what differs', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 'A', ['a1', 'a2']);
		seed(env.sandbox, app.appId, 'B', ['b1']);
		env.sandbox.clearLog();

		const { error, items } = await runWorkflow({
			credential: app,
			items: [
				{ id: 'A', time: t(0), tasks: [{ task_id: 'a1', update_time: t(5) }, { task_id: 'a2', update_time: t(0) }] },
				{ id: 'B', time: t(0), tasks: [{ task_id: 'b1', update_time: t(0) }] },
				{ id: 'C', time: t(0), tasks: [] },
			],
			parameters: check,
		});

		expect(error).toBeUndefined();
		expect(checks()).toHaveLength(1);
		expect(items.map((i) => [i.json, i.pairedItem])).toEqual([
			[{ instance_id: 'A', up_to_date: false, feishu_update_time: t(0), stale_tasks: [{ task_id: 'a1', update_time: t(0) }] }, { item: 0 }],
			[{ instance_id: 'B', up_to_date: true, feishu_update_time: t(0), stale_tasks: [] }, { item: 1 }],
			[{ instance_id: 'C', up_to_date: false, feishu_update_time: '0', stale_tasks: [] }, { item: 2 }],
		]);
	});

	test('Should pool 150 items into 2 requests and pair every answer back', async () => {
		const app = newApp(env.sandbox);
		for (let n = 0; n < 150; n += 2) seed(env.sandbox, app.appId, `I${n}`, [`I${n}-t`]);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			items: Array.from({ length: 150 }, (_, n) => ({ id: `I${n}`, time: t(0), tasks: [{ task_id: `I${n}-t`, update_time: t(0) }] })),
			parameters: check,
		});

		expect(checks().map((r) => (r.body as { instances: unknown[] }).instances.length)).toEqual([100, 50]);
		expect(items).toHaveLength(150);
		items.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(item.json).toMatchObject({ instance_id: `I${n}`, up_to_date: n % 2 === 0 });
		});
	});

	test('Should take Get Many\'s task list ({id, update_time}) and times as ISO text', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 'A', ['a1']);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			items: [{ id: 'A', time: new Date(T0).toISOString(), tasks: [{ id: 'a1', status: 'PENDING', update_time: t(0) }] }],
			parameters: check,
		});

		expect(checks()[0].body).toEqual({ instances: [{ instance_id: 'A', update_time: t(0), tasks: [{ task_id: 'a1', update_time: t(0) }] }] });
		expect(items[0].json.up_to_date).toBe(true);
	});

	test('Should send two versions of one instance in separate requests, so each answer is its own', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 'A', ['a1']);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			items: [
				{ id: 'A', time: t(0), tasks: [] },
				{ id: 'A', time: t(9), tasks: [] },
				{ id: 'A', time: t(0), tasks: [] },
			],
			parameters: check,
		});

		expect(checks()).toHaveLength(2);
		expect(items.map((i) => i.json.up_to_date)).toEqual([true, false, true]);
	});

	test('Should fail only the items of a request that failed, under Continue On Fail', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'code', code: 1390001 }, 1, { path: CHECK_PATH });

		const { items } = await runWorkflow({
			credential: app,
			continueOnFail: true,
			items: Array.from({ length: 101 }, (_, n) => ({ id: `I${n}`, time: t(0), tasks: [] })),
			parameters: check,
		});

		expect(checks()).toHaveLength(2);
		expect(items).toHaveLength(101);
		expect(items.slice(0, 100).every((i) => String(i.json.error).includes('(code 1390001)'))).toBe(true);
		expect(items[100].json).toMatchObject({ instance_id: 'I100', feishu_update_time: '0' });
		expect(items[100].pairedItem).toEqual({ item: 100 });
	});

	test('Should retry a check that met a temporary failure: a check only reads', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'http', status: 503 }, 1, { path: CHECK_PATH });

		const { error, items } = await runWorkflow({ credential: app, items: [{ id: 'A', time: t(0), tasks: [] }], parameters: check });

		expect(error).toBeUndefined();
		expect(checks().map((r) => r.status)).toEqual([503, 200]);
		expect(items[0].json.feishu_update_time).toBe('0');
	});

	const cases: Array<[string, IDataObject, string]> = [
		['no instance id', { id: '', time: t(0), tasks: [] }, 'Instance ID is required'],
		['an update time in seconds', { id: 'A', time: 1764579600, tasks: [] }, 'Update Time 1764579600 looks like epoch seconds'],
		['tasks that are not a list', { id: 'A', time: t(0), tasks: { task_id: 'x' } }, 'Tasks must be a list'],
		['a task without an id', { id: 'A', time: t(0), tasks: [{ update_time: t(0) }] }, 'Tasks[0].task_id is required'],
		['a task without an update time', { id: 'A', time: t(0), tasks: [{ task_id: 'x' }] }, 'Tasks[0].update_time must be a time'],
	];

	test.each(cases)('Should refuse %s with zero requests sent', async (_name, item, message) => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({ credential: app, items: [{ id: 'ok', time: t(0), tasks: [] }, item], parameters: check });

		expect(error?.message).toContain(message);
		expect(error?.context?.itemIndex).toBe(1);
		expect(env.sandbox.requests).toHaveLength(0);
	});
});
