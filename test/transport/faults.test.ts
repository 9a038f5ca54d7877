import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';
import type { Fault, Sandbox } from '../sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';

/** 5 pages of 4 instances; every fault below hits page 2 or 3. */
function seed(sandbox: Sandbox, tenant: string) {
	const seeded = makeInstances(CODE, 20, 'PENDING');
	for (const instance of seeded) sandbox.syncInstance(instance as never, tenant);
	return seeded.map((s) => s.instance_id);
}

const PARAMETERS = { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true, options: { pageSize: 4, timeout: 1 } };

describe('A fault in the middle of paging ends in the whole list or a clear error, never a shorter list', () => {
	const env = useSandbox();
	beforeEach(() => env.sandbox.clearLog());

	const recovered: Array<[string, Fault, number]> = [
		['HTTP 500', { type: 'http', status: 500 }, 1],
		['HTTP 502 with an HTML body', { type: 'http', status: 502 }, 2],
		['HTTP 503 with an HTML body', { type: 'http', status: 503 }, 1],
		['1395001 try again later', { type: 'code', code: 1395001 }, 2],
		['1500 internal error', { type: 'code', code: 1500, httpStatus: 500 }, 1],
		['1000003 internal error', { type: 'code', code: 1000003, httpStatus: 200 }, 1],
		['429 rate limited with a reset header', { type: 'rateLimited', resetSeconds: 0.05 }, 1],
		['429 rate limited without a reset header', { type: 'rateLimited', resetSeconds: null }, 1],
		['a dropped connection', { type: 'drop' }, 1],
		['an answer slower than the time limit', { type: 'delay', ms: 1_500 }, 1],
	];

	test.each(recovered)('Should retry %s and return the whole list', async (_name, fault, times) => {
		const app = newApp(env.sandbox);
		const ids = seed(env.sandbox, app.appId);
		env.sandbox.injectFault(fault, times, { after: 1 });

		const { items, error } = await runWorkflow({ credential: app, parameters: PARAMETERS });

		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.instance_id)).toEqual(ids);
		const log = env.sandbox.listRequests();
		expect(log.filter((r) => r.fault === fault.type)).toHaveLength(times);
		expect(log).toHaveLength(5 + times);
	});

	test('Should exchange the token once more on 99991663 and carry on', async () => {
		const app = newApp(env.sandbox);
		const ids = seed(env.sandbox, app.appId);
		env.sandbox.injectFault({ type: 'code', code: 99991663 }, 1, { after: 2 });

		const { items } = await runWorkflow({ credential: app, parameters: PARAMETERS });

		expect(items.map((i) => i.json.instance_id)).toEqual(ids);
		expect(env.sandbox.tokenRequests().filter((r) => r.appId === app.appId)).toHaveLength(2);
	});

	const fatal: Array<[string, Fault, RegExp[]]> = [
		['99991672 missing scope', { type: 'permission' }, [/99991672/, /approval:external_task/, /Permissions & Scopes/]],
		['1390001 bad parameter', { type: 'code', code: 1390001 }, [/param is invalid \(code 1390001\)/, /page token/]],
		['99992402 field validation', { type: 'fieldValidation' }, [/99992402/, /page_size = 9999: the max value is 500/]],
		['a plain-text 404', { type: 'notFound' }, [/HTTP 404/, /404 page not found/, /base URL/]],
		['99991401 IP allow-list', { type: 'code', code: 99991401 }, [/99991401/, /allow-list/]],
	];

	test.each(fatal)('Should fail at once on %s, naming what to do and the log id', async (_name, fault, patterns) => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId);
		env.sandbox.injectFault(fault, 1, { after: 2 });

		const { items, error } = await runWorkflow({ credential: app, parameters: PARAMETERS });

		expect(items).toEqual([]);
		const log = env.sandbox.listRequests();
		expect(log).toHaveLength(3);
		const text = `${error?.message} ${error?.description}`;
		for (const pattern of patterns) expect(text).toMatch(pattern);
		expect(text).toContain(`Log ID (quote it to Feishu support): ${log[2].logId}`);
		expect(error?.context?.itemIndex).toBe(0);
	});

	test('Should fail, not shorten the list, when retries run out', async () => {
		const app = newApp(env.sandbox);
		seed(env.sandbox, app.appId);
		// The first try and its 4 retries (DEFAULT_RETRY) all fail.
		env.sandbox.injectFault({ type: 'http', status: 503 }, 5, { after: 1 });

		const { items, error } = await runWorkflow({ credential: app, parameters: PARAMETERS });

		expect(items).toEqual([]);
		expect(error?.message).toContain('HTTP 503');
		expect(env.sandbox.listRequests()).toHaveLength(1 + 5);
	});

	test('Should yield an error item, not a partial list, under Continue On Fail', async () => {
		const app = newApp(env.sandbox);
		const ids = seed(env.sandbox, app.appId);
		env.sandbox.injectFault({ type: 'permission' }, 1, { after: 1 });

		const { items, error } = await runWorkflow({
			credential: app,
			continueOnFail: true,
			items: [{ code: CODE }, { id: ids[0] }],
			parameters: { ...PARAMETERS, approvalCodes: '={{ $json.code || "' + CODE + '" }}' },
		});

		expect(error).toBeUndefined();
		// Both items asked the same query, so both get its error; neither gets the first page alone.
		expect(items.map((i) => [(i.json as IDataObject).error !== undefined, i.pairedItem])).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
		]);
		expect(items[0].json.error).toContain('99991672');
	});
});
