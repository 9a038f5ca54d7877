import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';

describe('Get Many outputs', () => {
	const env = useSandbox();

	test('Should output instances exactly as the API returns them', async () => {
		const app = newApp(env.sandbox);
		const [seeded] = makeInstances(CODE, 1, 'APPROVED', 2);
		await syncInstances(env.sandbox, app, [seeded]);

		const { items } = await runWorkflow({ credential: app, parameters: { queryBy: 'instanceIds', instanceIds: seeded.instance_id, output: 'instances' } });

		expect(items).toHaveLength(1);
		expect(Object.keys(items[0].json).sort()).toEqual(['approval_code', 'approval_id', 'instance_id', 'status', 'tasks', 'update_time']);
		expect(items[0].json.tasks).toEqual(seeded.task_list.map((t) => ({ id: t.task_id, status: t.status, update_time: t.update_time })));
	});

	test('Should output one flat row per task with ISO-8601 times', async () => {
		const app = newApp(env.sandbox);
		const [seeded] = makeInstances(CODE, 1, 'REJECTED', 2);
		await syncInstances(env.sandbox, app, [seeded]);

		const { items } = await runWorkflow({ credential: app, parameters: { queryBy: 'instanceIds', instanceIds: seeded.instance_id, output: 'tasks' } });

		expect(items.map((i) => i.json)).toEqual(
			seeded.task_list.map((task) => ({
				instance_id: seeded.instance_id,
				approval_id: expect.stringMatching(/^\d+$/),
				approval_code: CODE,
				instance_status: 'PENDING',
				instance_update_time: seeded.update_time,
				instance_update_time_iso: new Date(Number(seeded.update_time)).toISOString(),
				task_id: task.task_id,
				task_status: 'REJECTED',
				task_update_time: task.update_time,
				task_update_time_iso: new Date(Number(task.update_time)).toISOString(),
			})),
		);
		expect(items[0].json.task_update_time_iso).toBe('2026-11-01T00:00:00.000Z');
	});

	test('Should keep an instance without tasks as one row with empty task fields', async () => {
		const app = newApp(env.sandbox);
		const [seeded] = makeInstances(CODE, 1, 'PENDING', 0);
		await syncInstances(env.sandbox, app, [seeded]);

		const { items } = await runWorkflow({ credential: app, parameters: { queryBy: 'instanceIds', instanceIds: seeded.instance_id, output: 'tasks' } });

		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ instance_id: seeded.instance_id, task_id: '', task_status: '', task_update_time: '', task_update_time_iso: '' });
	});

	test('Should output one item per page with its data, page token and has_more', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 5, 'PENDING');
		await syncInstances(env.sandbox, app, seeded);

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true, output: 'pages', options: { pageSize: 2 } },
		});

		expect(items.map((i) => (i.json.data as Array<{ instance_id: string }>).map((d) => d.instance_id))).toEqual([
			seeded.slice(0, 2).map((s) => s.instance_id),
			seeded.slice(2, 4).map((s) => s.instance_id),
			seeded.slice(4).map((s) => s.instance_id),
		]);
		expect(items.map((i) => i.json.has_more)).toEqual([true, true, false]);
		expect(items[0].json.page_token).toEqual(expect.any(String));
		expect(items[0].json.page_token).not.toBe(items[1].json.page_token);
	});
});
