import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { startSandbox } from '../sandbox';

// `npm run bench:workers`: W processes (as n8n's queue-mode workers are), each with C Return All
// executions of 100 pages at once, on one app against one sandbox with the gateway's strict 50/s
// and 1,000/min. Prints what the gateway saw: requests per second and 429s. No n8n needed; the
// real-app figure comes from `npm run test:e2e:queue`.

const WORKERS = Number(process.env.WORKERS ?? 2);
const EXECUTIONS = Number(process.env.WORKERS_EXECUTIONS ?? 3);
const PAGES = 100;
const CODE = 'C0FFEE00-1234-4ABC-8DEF-0123456789AB';

async function main(): Promise<void> {
	const sandbox = await startSandbox();
	const appId = 'cli_bench_workers_1';
	const appSecret = 'bench-workers-secret';
	sandbox.addApp(appId, appSecret);
	for (let n = 0; n < PAGES; n++) {
		const t = String(Date.UTC(2026, 10, 1) + n * 1000);
		sandbox.syncInstance({ approval_code: CODE, instance_id: `w_${n}`, status: 'PENDING', update_time: t, task_list: [{ task_id: `w_${n}_t`, status: 'PENDING', update_time: t }] });
	}
	const credential = { region: 'custom', baseUrl: sandbox.baseUrl, appId, appSecret };
	const children = Array.from({ length: WORKERS }, () =>
		spawn(process.execPath, ['-r', 'ts-node/register', join(__dirname, 'workersChild.ts')], {
			env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PREFER_TS_EXTS: '1', WORKERS_CREDENTIAL: JSON.stringify(credential), WORKERS_EXECUTIONS: String(EXECUTIONS), WORKERS_CODE: CODE },
			stdio: ['pipe', 'pipe', 'inherit'],
		}),
	);
	const outputs = children.map((child) => {
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		return { ready: () => out.includes('ready\n'), done: new Promise<string>((resolve) => child.once('exit', () => resolve(out))) };
	});
	while (!outputs.every((o) => o.ready())) {
		// A child that died before "ready" would leave this loop waiting for ever.
		if (children.some((child) => child.exitCode !== null)) {
			for (const child of children) child.kill();
			await sandbox.close();
			throw new Error('a worker process exited before it was ready (its error is above)');
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	for (const child of children) child.stdin.write('go\n');
	const results = await Promise.all(outputs.map(async (o) => (await o.done).split('\n').filter((l) => l.startsWith('{'))[0] ?? '{}'));
	const lists = sandbox.listRequests();
	const times = lists.map((r) => r.arrivedAt);
	const span = Math.max(...times) - Math.min(...times);
	const accepted = lists.filter((r) => r.status === 200).length;
	const refused = lists.filter((r) => r.status === 429).length;
	console.log(`workers=${WORKERS} executions/worker=${EXECUTIONS} results=${results.join(' ')}`);
	console.log(
		`requests=${lists.length} accepted=${accepted} 429=${refused} (${((100 * refused) / lists.length).toFixed(1)}%) seconds=${(span / 1000).toFixed(2)} ` +
			`accepted/s=${((1000 * (accepted - 1)) / span).toFixed(1)} (${((100 * (1000 * (accepted - 1)) / span) / 50).toFixed(0)}% of 50/s)`,
	);
	await sandbox.close();
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
