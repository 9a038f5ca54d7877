import { runWorkflow } from '../helpers/runWorkflow';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';

// Return All follows page tokens while Feishu says has_more: a deadline over all pages, retries
// and waits keeps a server that never stops (or crawls) from holding the execution for ever.

const CODE = 'D3ADL1NE-0000-4000-8000-000000000001';
const PAGES = 40;

describe('Get Many Return All deadline', () => {
	// Its own sandbox: the delay faults left queued here must not reach other tests.
	const env = useSandbox({ rateLimit: false });

	test('Should fail with the deadline, having stopped asking for pages, when the pages take longer than it', async () => {
		const app = newApp(env.sandbox);
		for (const instance of makeInstances(CODE, PAGES, 'PENDING')) env.sandbox.syncInstance(instance as never, app.appId);
		env.sandbox.clearLog();
		// Every page answers after 100 ms; 40 pages would take 4 s, the deadline is 0.3 s.
		env.sandbox.injectFault({ type: 'delay', ms: 100 }, PAGES);

		const { items, error } = await runWorkflow({
			credential: app,
			parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true, options: { pageSize: 1, deadline: 0.005 } },
		});

		expect(items).toEqual([]);
		expect(error?.message).toBe('Return All did not finish within its deadline of 0.005 minute(s)');
		expect(error?.description).toMatch(/page\(s\) had arrived/);
		expect(env.sandbox.listRequests().length).toBeLessThan(PAGES);
	});

	test('Should refuse a deadline of 0 minutes with zero requests sent', async () => {
		const app = newApp(env.sandbox);
		env.sandbox.clearLog();

		const { error } = await runWorkflow({ credential: app, parameters: { queryBy: 'status', approvalCodes: CODE, status: 'PENDING', returnAll: true, options: { deadline: 0 } } });

		expect(error?.message).toContain('Deadline (Minutes) must be a number of minutes above 0');
		expect(env.sandbox.requests).toHaveLength(0);
	});
});
