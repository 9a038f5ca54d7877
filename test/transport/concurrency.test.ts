import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';

describe('Rate limits shared by every execution in the process', () => {
	// The gateway's real limits [doc]: 50 in any second, 1000 in any minute.
	const env = useSandbox({ rateLimit: { perSecond: 50, perMinute: 1000 } });

	test('Should make 300 requests from three concurrent executions with zero 429s', async () => {
		const app = newApp(env.sandbox);
		for (const instance of makeInstances(CODE, 100, 'PENDING')) env.sandbox.syncInstance(instance as never, app.appId);
		const parameters = { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true, options: { pageSize: 1 } };

		const runs = await Promise.all([1, 2, 3].map(async () => await runWorkflow({ credential: app, parameters })));

		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(100);
		}
		const log = env.sandbox.listRequests();
		expect(log).toHaveLength(300);
		expect(log.filter((r) => r.status === 429)).toHaveLength(0);
	}, 60_000);
});
