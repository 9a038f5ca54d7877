import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';

describe('Get Many query modes', () => {
	const env = useSandbox();

	test('Should look up instance ids alone, with all their tasks', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 4, 'PENDING', 2);
		seeded[1].task_list[1].status = 'APPROVED';
		await syncInstances(env.sandbox, app, seeded);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'instanceIds', instanceIds: `${seeded[1].instance_id}, ${seeded[3].instance_id}` },
		});

		expect(items.map((i) => i.json.instance_id)).toEqual([seeded[1].instance_id, seeded[3].instance_id]);
		expect((items[0].json.tasks as Array<{ status: string }>).map((t) => t.status)).toEqual(['PENDING', 'APPROVED']);
		expect(env.sandbox.listRequests().map((r) => r.body)).toEqual([{ instance_ids: [seeded[1].instance_id, seeded[3].instance_id] }]);
	});

	test('Should query approvers with approval codes, user ids and status together', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 14, 'REJECTED');
		await syncInstances(env.sandbox, app, seeded);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'approvers', approvalCodes: CODE, userIds: 'user_2 user_3', status: 'REJECTED', returnAll: true },
		});

		const expected = seeded.filter((s) => ['user_2', 'user_3'].includes(s.task_list[0].user_id)).map((s) => s.instance_id);
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((i) => i.json.instance_id)).toEqual(expected);
		expect(env.sandbox.listRequests().map((r) => r.body)).toEqual([
			{ approval_codes: [CODE], user_ids: ['user_2', 'user_3'], status: 'REJECTED' },
		]);
	});

	test('Should query by status with approval codes and status only', async () => {
		const app = newApp(env.sandbox);
		await syncInstances(env.sandbox, app, [...makeInstances(CODE, 3, 'DONE'), ...makeInstances(CODE, 2, 'PENDING', 1, 'p')]);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: CODE, status: 'DONE', returnAll: true },
		});

		expect(items).toHaveLength(3);
		expect(env.sandbox.listRequests().map((r) => r.body)).toEqual([{ approval_codes: [CODE], status: 'DONE' }]);
	});

	test('Should start from a given page token (the API\'s fourth mode) and resend the body with it', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 9, 'PENDING');
		await syncInstances(env.sandbox, app, seeded);
		const first = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', limit: 4, output: 'pages' },
		});
		const pageToken = first.items[0].json.page_token as string;
		expect(pageToken).toBeTruthy();
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true, options: { pageToken } },
		});

		expect(items.map((i) => i.json.instance_id)).toEqual(seeded.slice(4).map((s) => s.instance_id));
		const [request] = env.sandbox.listRequests();
		expect(request.query.page_token).toBe(pageToken);
		expect(request.body).toEqual({ approval_codes: [CODE], status: 'PENDING' });
	});

	test('Should split more than 20 approval codes into several queries and merge them', async () => {
		const app = newApp(env.sandbox);
		const codes = Array.from({ length: 23 }, (_, n) => `CODE-${String(n).padStart(2, '0')}-A166-447C`);
		await syncInstances(env.sandbox, app, codes.flatMap((code) => makeInstances(code, 1, 'REJECTED', 1, code)));
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: codes, status: 'REJECTED', returnAll: true },
		});

		expect(items.map((i) => i.json.approval_code)).toEqual(codes);
		const bodies = env.sandbox.listRequests().map((r) => r.body as { approval_codes: string[] });
		expect(bodies.map((b) => b.approval_codes.length)).toEqual([20, 3]);
	});

	test('Should split 45 instance ids into 3 requests of at most 20, each instance once', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 45, 'PENDING');
		await syncInstances(env.sandbox, app, seeded);
		env.sandbox.clearLog();
		const ids = seeded.map((s) => s.instance_id);

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'instanceIds', instanceIds: [...ids, ids[0], ` ${ids[1]} `], returnAll: true },
		});

		expect(items.map((i) => i.json.instance_id)).toEqual(ids);
		expect(env.sandbox.listRequests().map((r) => (r.body as { instance_ids: string[] }).instance_ids.length)).toEqual([20, 20, 5]);
	});
});
