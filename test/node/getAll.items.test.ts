import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const OTHER = 'B7B65FFE-C2GC-452F-9F0F-9AA8352363D6';

describe('Get Many with many input items', () => {
	const env = useSandbox();

	test('Should pool 100 items of one instance id each into 5 requests and pair each result with its item', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 100, 'PENDING');
		for (const instance of seeded) env.sandbox.syncInstance(instance as never, app.appId);

		const { items } = await runWorkflow({
			credential: app,
			items: seeded.map((s) => ({ id: s.instance_id })),
			parameters: { queryBy: 'instanceIds', instanceIds: '={{ $json.id }}' },
		});

		expect(env.sandbox.listRequests()).toHaveLength(5);
		expect(items).toHaveLength(100);
		items.forEach((item, n) => {
			expect(item.json.instance_id).toBe(seeded[n].instance_id);
			expect(item.pairedItem).toEqual({ item: n });
		});
	});

	test('Should route an instance to every item that asked for it', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 3, 'PENDING');
		await syncInstances(env.sandbox, app, seeded);
		env.sandbox.clearLog();
		const [a, b, c] = seeded.map((s) => s.instance_id);

		const { items } = await runWorkflow({
			credential: app,
			items: [{ ids: [a, b] }, { ids: [b, c] }, { ids: ['unknown'] }],
			parameters: { queryBy: 'instanceIds', instanceIds: '={{ $json.ids }}' },
		});

		expect(env.sandbox.listRequests().map((r) => r.body)).toEqual([{ instance_ids: [a, b, c, 'unknown'] }]);
		expect(items.map((i) => [i.json.instance_id, i.pairedItem])).toEqual([
			[a, { item: 0 }],
			[b, { item: 0 }],
			[b, { item: 1 }],
			[c, { item: 1 }],
		]);
	});

	test('Should make one request plan per distinct parameter set and pair results to their items', async () => {
		const app = newApp(env.sandbox);
		await syncInstances(env.sandbox, app, [...makeInstances(CODE, 2, 'REJECTED', 1, 'a'), ...makeInstances(OTHER, 3, 'REJECTED', 1, 'b')]);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			items: [{ code: CODE }, { code: OTHER }, { code: CODE }],
			parameters: { queryBy: 'status', approvalCodes: '={{ $json.code }}', status: 'REJECTED', returnAll: true },
		});

		expect(env.sandbox.listRequests().map((r) => r.body)).toEqual([
			{ approval_codes: [CODE], status: 'REJECTED' },
			{ approval_codes: [OTHER], status: 'REJECTED' },
		]);
		expect(items.map((i) => [i.json.approval_code, (i.pairedItem as { item: number }).item])).toEqual([
			[CODE, 0],
			[CODE, 0],
			[OTHER, 1],
			[OTHER, 1],
			[OTHER, 1],
			[CODE, 2],
			[CODE, 2],
		]);
	});

	test('Should fail only the items whose ids were in a pooled request that failed', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 25, 'PENDING');
		for (const instance of seeded) env.sandbox.syncInstance(instance as never, app.appId);
		// The second pooled request (ids 21 to 25) fails for good.
		env.sandbox.injectFault({ type: 'permission' }, 1, { after: 1 });

		const { items, error } = await runWorkflow({
			credential: app,
			continueOnFail: true,
			items: [{ ids: seeded.slice(0, 20).map((s) => s.instance_id) }, { ids: [seeded[24].instance_id] }],
			parameters: { queryBy: 'instanceIds', instanceIds: '={{ $json.ids }}' },
		});

		expect(error).toBeUndefined();
		expect(items.filter((i) => (i.pairedItem as { item: number }).item === 0)).toHaveLength(20);
		const second = items.filter((i) => (i.pairedItem as { item: number }).item === 1);
		expect(second).toHaveLength(1);
		expect(second[0].json.error).toContain('99991672');
	});
});
