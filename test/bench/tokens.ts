import { runWorkflow } from '../helpers/runWorkflow';
import type { Bench } from './setup';

// Section 4: executions in a row with one credential share the process's token cache.

export async function tokenExchanges(bench: Bench, executions: number): Promise<{ executions: number; tokenExchanges: number; requests: number }> {
	const app = await bench.newApp('gateway', 'batch');
	const credential = { region: 'custom', baseUrl: app.baseUrl, appId: app.appId, appSecret: app.appSecret };
	for (let n = 0; n < executions; n++) {
		const { error } = await runWorkflow({ credential, parameters: { queryBy: 'instanceIds', instanceIds: 'b_0', returnAll: true } });
		if (error) throw error;
	}
	const log = await bench.sandboxes.log('gateway');
	return { executions, tokenExchanges: log.tokens, requests: log.list };
}
