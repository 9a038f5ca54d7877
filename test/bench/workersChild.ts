import './env';

import { closeAll } from '../../nodes/FeishuApproval/transport';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import { runWorkflow } from '../helpers/runWorkflow';

// One "worker" of test/bench/workers.ts: a process of its own (its own token cache and rate limiter,
// as an n8n worker has), running WORKERS_EXECUTIONS Return All executions at once when told "go".

async function main(): Promise<void> {
	const credential = JSON.parse(process.env.WORKERS_CREDENTIAL ?? '{}') as FeishuCredentialData;
	const executions = Number(process.env.WORKERS_EXECUTIONS ?? 3);
	const parameters = { queryBy: 'status', approvalCodes: process.env.WORKERS_CODE ?? '', status: 'PENDING', returnAll: true, options: { pageSize: 1 } };
	process.stdout.write('ready\n');
	await new Promise<void>((go) => process.stdin.once('data', () => go()));
	const started = Date.now();
	const runs = await Promise.all(Array.from({ length: executions }, async () => await runWorkflow({ credential, parameters })));
	await closeAll();
	const seconds = (Date.now() - started) / 1000;
	process.stdout.write(`${JSON.stringify({ seconds, runs: runs.map((r) => ({ items: r.items.length, error: r.error?.message })) })}\n`);
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
