import './env';

import { createInterface } from 'node:readline';

import { closeAll } from '../../nodes/FeishuApproval/transport';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import { runWorkflow } from '../helpers/runWorkflow';

// One "worker" of test/bench/workers.ts: a process of its own (its own token cache and rate limiter,
// as an n8n worker has). For each line `{"credential", "executions", "delayMs"}` on stdin it waits
// delayMs, runs that many Return All executions at once and writes one line of JSON back.

interface Order {
	credential: FeishuCredentialData;
	executions: number;
	delayMs: number;
}

async function run(order: Order): Promise<string> {
	await new Promise((resolve) => setTimeout(resolve, order.delayMs));
	const parameters = { queryBy: 'status', approvalCodes: process.env.WORKERS_CODE ?? '', status: 'PENDING', returnAll: true, options: { pageSize: 1 } };
	const runs = await Promise.all(Array.from({ length: order.executions }, async () => await runWorkflow({ credential: order.credential, parameters })));
	return JSON.stringify({ runs: runs.map((r) => ({ items: r.items.length, error: r.error?.message })) });
}

async function main(): Promise<void> {
	process.stdout.write('ready\n');
	for await (const line of createInterface({ input: process.stdin })) {
		if (!line.trim()) continue;
		process.stdout.write(`${await run(JSON.parse(line) as Order)}\n`);
	}
	await closeAll();
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
