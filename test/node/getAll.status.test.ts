import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, syncInstances, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const OTHER = 'B7B65FFE-C2GC-452F-9F0F-9AA8352363D6';

describe('Get Many by status, through n8n\'s engine', () => {
	const env = useSandbox();

	test('Should return every seeded instance across several pages with Return All', async () => {
		const app = newApp(env.sandbox);
		const seeded = makeInstances(CODE, 25, 'PENDING', 2);
		await syncInstances(env.sandbox, app, [...seeded, ...makeInstances(OTHER, 3, 'PENDING', 1, 'other')]);
		env.sandbox.clearLog();

		const { items, error } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true, options: { pageSize: 10 } },
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.instance_id)).toEqual(seeded.map((s) => s.instance_id));
		expect(items[0].json).toMatchObject({ approval_code: CODE, status: 'PENDING', tasks: [{ status: 'PENDING' }, { status: 'PENDING' }] });
		const pages = env.sandbox.listRequests();
		expect(pages.map((r) => r.query.page_size)).toEqual(['10', '10', '10']);
		expect(pages[0].query.page_token).toBeUndefined();
		expect(pages[1].query.page_token).toBeTruthy();
	});

	test('Should return exactly the limit without Return All, asking no more than needed', async () => {
		const app = newApp(env.sandbox);
		await syncInstances(env.sandbox, app, makeInstances(CODE, 30, 'REJECTED'));
		env.sandbox.clearLog();

		const { items } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: CODE, status: 'REJECTED', returnAll: false, limit: 7 },
		});

		expect(items).toHaveLength(7);
		const pages = env.sandbox.listRequests();
		expect(pages).toHaveLength(1);
		expect(pages[0].query.page_size).toBe('7');
	});

	test('Should send the filters as a JSON body with a Bearer token on every page', async () => {
		const app = newApp(env.sandbox);
		await syncInstances(env.sandbox, app, makeInstances(CODE, 5, 'APPROVED'));
		env.sandbox.clearLog();

		await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: `${CODE}\n`, status: 'APPROVED', returnAll: true, options: { pageSize: 2 } },
		});

		const pages = env.sandbox.listRequests();
		expect(pages).toHaveLength(3);
		for (const page of pages) {
			expect(page.method).toBe('GET');
			expect(page.body).toEqual({ approval_codes: [CODE], status: 'APPROVED' });
			expect(page.headers.authorization).toMatch(/^Bearer t-/);
			expect(page.headers['user-agent']).toMatch(/^n8n-nodes-feishu-approval\/\d+\.\d+\.\d+$/);
			expect(page.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(page.headers['content-length']).toBe(String(Buffer.byteLength(page.rawBody)));
			expect(page.status).toBe(200);
		}
	});
});
