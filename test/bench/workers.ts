import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

import { startSandbox } from '../sandbox';
import { gatewayFigures, SCALING_TARGETS } from './measure';

// `npm run bench:workers`: processes (as n8n's queue-mode workers are), each with its own token
// cache and rate limiter, running Return All executions of 100 pages on one app against one
// sandbox with the gateway's strict 50/s and 1,000/min. Each scenario runs WORKERS_RUNS times
// (default 3) on a fresh app; each run prints what the gateway saw: its 429s and the pages it
// accepted per second, against the targets (at most 5 % 429s, at least 80 % of 50/s). Exits 1
// when any run misses one. No n8n needed; the real-app figure comes from `npm run test:e2e:queue`.

const RUNS = Number(process.env.WORKERS_RUNS ?? 3);
const PAGES = 100;
const CODE = 'C0FFEE00-1234-4ABC-8DEF-0123456789AB';
const { maxRefusedPercent, minCeilingPercent, ceilingPerSecond } = SCALING_TARGETS;

/** Per worker: how many executions it runs at once, and how long after the others it starts. */
interface Scenario {
	name: string;
	workers: Array<{ executions: number; delayMs: number }>;
}

const SCENARIOS: Scenario[] = [
	// The ceiling one process reaches alone, for comparison.
	{ name: '1 worker x 3 executions', workers: [{ executions: 3, delayMs: 0 }] },
	{ name: '2 workers x 3 executions', workers: [{ executions: 3, delayMs: 0 }, { executions: 3, delayMs: 0 }] },
	// The hard case: one worker is done early and the other must regain the whole budget alone.
	{ name: '2 workers, 3 + 1 executions', workers: [{ executions: 3, delayMs: 0 }, { executions: 1, delayMs: 0 }] },
	// As Bull hands a queue's jobs out: the second worker joins while the first runs at full speed.
	{ name: '2 workers x 3, one 2 s later', workers: [{ executions: 3, delayMs: 0 }, { executions: 3, delayMs: 2_000 }] },
];

function startChild(): { child: ChildProcessByStdio<Writable, Readable, null>; next: () => Promise<string> } {
	const child = spawn(process.execPath, ['-r', 'ts-node/register', join(__dirname, 'workersChild.ts')], {
		env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PREFER_TS_EXTS: '1', WORKERS_CODE: CODE },
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
	// n8n-core writes notes of its own to stdout; the child's answers are `ready` and JSON.
	const next = async (): Promise<string> => {
		for (let line = await lines.next(); !line.done; line = await lines.next()) {
			if (line.value === 'ready' || line.value.startsWith('{')) return line.value;
		}
		return `exited ${child.exitCode}`;
	};
	return { child, next };
}

async function main(): Promise<void> {
	const sandbox = await startSandbox();
	for (let n = 0; n < PAGES; n++) {
		const t = String(Date.UTC(2026, 10, 1) + n * 1000);
		sandbox.syncInstance({ approval_code: CODE, instance_id: `w_${n}`, status: 'PENDING', update_time: t, task_list: [{ task_id: `w_${n}_t`, status: 'PENDING', update_time: t }] });
	}
	const most = Math.max(...SCENARIOS.map((s) => s.workers.length));
	const children = Array.from({ length: most }, startChild);
	const missed: string[] = [];
	try {
		for (const child of children) {
			const ready = await child.next();
			if (ready !== 'ready') throw new Error(`a worker process did not start (${ready}; its error is above)`);
		}
		console.log(`targets: at most ${maxRefusedPercent} % of list requests answered 429, at least ${minCeilingPercent} % of ${ceilingPerSecond}/s accepted`);
		let app = 0;
		for (const scenario of SCENARIOS) {
			for (let run = 1; run <= RUNS; run++) {
				// A fresh app per run: the gateway's windows and the workers' learnt shares start empty.
				const appId = `cli_bench_workers_${++app}`;
				const appSecret = `bench-workers-secret-${app}`;
				sandbox.addApp(appId, appSecret);
				const credential = { region: 'custom', baseUrl: sandbox.baseUrl, appId, appSecret };
				sandbox.clearLog();
				const answers = await Promise.all(
					scenario.workers.map(async (worker, n) => {
						children[n].child.stdin.write(`${JSON.stringify({ credential, ...worker })}\n`);
						return await children[n].next();
					}),
				);
				const expected = scenario.workers.reduce((sum, w) => sum + w.executions, 0) * PAGES;
				const g = gatewayFigures(sandbox.listRequests());
				if (g.accepted !== expected || answers.some((a) => !a.startsWith('{') || a.includes('"error":"'))) {
					throw new Error(`${scenario.name}: the gateway accepted ${g.accepted} of ${expected} pages; workers said ${answers.join(' ')}`);
				}
				const ok = g.refusedPercent <= maxRefusedPercent && g.ceilingPercent >= minCeilingPercent;
				const line =
					`${scenario.name}, run ${run}: ${g.refused} of ${g.lists} answered 429 (${g.refusedPercent.toFixed(1)} %), ` +
					`${g.acceptedPerSecond.toFixed(1)} accepted/s (${g.ceilingPercent.toFixed(0)} % of ${ceilingPerSecond}/s) over ${(g.spanMs / 1000).toFixed(2)} s ${ok ? 'ok' : 'MISSED'}`;
				console.log(line);
				if (!ok) missed.push(line);
			}
		}
	} finally {
		for (const { child } of children) child.stdin.end();
		await sandbox.close();
	}
	console.log(missed.length ? `${missed.length} runs missed a target` : `every run met both targets`);
	if (missed.length) process.exitCode = 1;
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
