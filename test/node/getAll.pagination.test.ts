import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';
import type { Sandbox } from '../sandbox';

const CODE = 'B7B65FFE-C2GC-452F-9F0F-9AA8352363D6';
const STATUS = { queryBy: 'status', approvalCodes: CODE, status: 'PENDING' };

/** Bulk data goes in process (the same code path as POST external_instances) to keep tests quick. */
function seed(sandbox: Sandbox, tenant: string, count: number) {
	const seeded = makeInstances(CODE, count, 'PENDING');
	for (const instance of seeded) sandbox.syncInstance(instance as never, tenant);
	return seeded;
}

describe('Get Many pagination', () => {
	const env = useSandbox();
	const lastPageTokenOff = useSandbox({ lastPageToken: false });

	test('Should read 1,234 instances with Return All in 3 requests of page size 500', async () => {
		const app = newApp(env.sandbox);
		const seeded = seed(env.sandbox, app.appId, 1234);

		const { items } = await runWorkflow({ credential: app, parameters: { ...STATUS, returnAll: true } });

		expect(items).toHaveLength(1234);
		expect(items.map((i) => i.json.instance_id)).toEqual(seeded.map((s) => s.instance_id));
		expect(env.sandbox.listRequests().map((r) => r.query.page_size)).toEqual(['500', '500', '500']);
	});

	test('Should return exactly 120 with limit 120 in one request of page size 120', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 700);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({ credential: app, parameters: { ...STATUS, limit: 120 } });

		expect(items).toHaveLength(120);
		expect(env.sandbox.listRequests().map((r) => r.query.page_size)).toEqual(['120']);
	});

	test('Should ask only for what the limit still needs on later pages', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 50);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({ credential: app, parameters: { ...STATUS, limit: 25, options: { pageSize: 10 } } });

		expect(items).toHaveLength(25);
		expect(env.sandbox.listRequests().map((r) => r.query.page_size)).toEqual(['10', '10', '5']);
	});

	test('Should return fewer than the limit only when the API has fewer', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 3);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({ credential: app, parameters: { ...STATUS, limit: 10 } });

		expect(items).toHaveLength(3);
		expect(env.sandbox.listRequests()).toHaveLength(1);
	});

	test('Should stop on has_more false even when the last page carries a page token', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 7);
		env.sandbox.clearLog();

		const { items } = await runWorkflow({ credential: app, parameters: { ...STATUS, returnAll: true, options: { pageSize: 5 } } });

		expect(items).toHaveLength(7);
		expect(env.sandbox.listRequests()).toHaveLength(2);
		expect(env.sandbox.listRequests()[1].status).toBe(200);
	});

	test('Should stop on has_more false when the last page has no page token', async () => {
		const sandbox = lastPageTokenOff.sandbox;
		const app = newApp(sandbox);
		seed(sandbox, app.appId, 7);

		const { items } = await runWorkflow({ credential: app, parameters: { ...STATUS, returnAll: true, options: { pageSize: 5 } } });

		expect(items).toHaveLength(7);
		expect(sandbox.listRequests()).toHaveLength(2);
	});

	test('Should fail, not loop, when the API repeats a page token with has_more true', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId, 3);
		env.sandbox.clearLog();
		const page = { code: 0, msg: 'success', data: { data: [], page_token: 'same-token', has_more: true } };
		env.sandbox.injectFault({ type: 'json', body: page }, 2);

		const { items, error } = await runWorkflow({ credential: app, parameters: { ...STATUS, returnAll: true } });

		expect(items).toEqual([]);
		expect(error?.message).toContain('same page token twice');
		expect(env.sandbox.listRequests()).toHaveLength(2);
	});

	test('Should fail when the API says has_more but gives no page token', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'json', body: { code: 0, msg: 'success', data: { data: [], has_more: true } } });

		const { error } = await runWorkflow({ credential: app, parameters: { ...STATUS, returnAll: true } });

		expect(error?.message).toContain('no page token');
		expect(env.sandbox.listRequests()).toHaveLength(1);
	});
});
