import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { appFromCredential } from '../../nodes/FeishuApproval/transport';
import { queryKey } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';
import { createPoller, TRIGGER_NODE } from '../helpers/runPoll';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import type { StatusQuery, Target } from './contenders';
import { bare, bareCount } from './contenders';
import type { Runs } from './measure';
import { noRuns, recordRun, sandboxCpuMs, takeMedians, timed } from './measure';
import { rejectedTasksOf } from './protocol';
import type { Bench } from './setup';
import { CODES } from './setup';

// Section 5: the Feishu Approval Trigger's poll against a bare loop over the same pages. Each size
// has its own tenant on the `free` sandbox: `tasks` REJECTED tasks in instances of 1, 2, 3, 2 tasks
// (2 on average), so 10,000 tasks are 5,000 instances in 10 pages and 100,000 are 100 pages.

/** `BENCH_TRIGGER_TASKS=10000` (a comma list) measures only those sizes, e.g. while profiling. */
export const TRIGGER_SIZES = (process.env.BENCH_TRIGGER_TASKS ?? '10000,100000').split(',').map(Number);
const PAGE_SIZE = 500;
/** New rejections between two polls: the steady poll fires exactly these. */
export const NEW_TASKS = 5;
const QUERY: StatusQuery = { approval_codes: CODES, status: 'REJECTED' };
const PARAMETERS = { approvalCodes: CODES.join(','), status: 'REJECTED', output: 'tasks' };

export const TRIGGER_CONTENDERS = ['steady poll', 'baseline poll', 'bare undici loop', 'bare loop, keeps nothing'] as const;
type ContenderName = (typeof TRIGGER_CONTENDERS)[number];

export interface TriggerFigures {
	tasks: number;
	instances: number;
	pages: number;
	runs: Record<ContenderName, Runs>;
	/** JSON.stringify(node static data).length after the steady poll. */
	staticDataChars: number;
	bytesPerTask: number;
}

const credentialOf = (t: Target): FeishuCredentialData => ({ region: 'custom', baseUrl: t.baseUrl, appId: t.appId, appSecret: t.appSecret });

/** The node's static data as the given app's poll would have recorded it: the same seed and digests, its query key. */
function recordedFor(target: Target, memory: IDataObject): IDataObject {
	const app = appFromCredential(credentialOf(target));
	const key = queryKey({ origin: app.origin, appId: app.appId, approvalCodes: CODES, status: 'REJECTED', userIds: [] });
	return { [`node:${TRIGGER_NODE}`]: { ...memory, query: key } };
}

/** `NEW_TASKS` instances of one task each, spread over the pages, different ones every round. */
function rejectedThisRound(instances: number, round: number): number[] {
	const ones = Math.floor(instances / 4);
	return Array.from({ length: NEW_TASKS }, (_, i) => {
		const n = 4 * ((Math.floor((i * ones) / NEW_TASKS) + round * 7) % ones);
		if (rejectedTasksOf(n) !== 1) throw new Error(`instance ${n} has ${rejectedTasksOf(n)} tasks`);
		return n;
	});
}

interface Outcome {
	cpuMs: number;
	wallMs: number;
	/** The memory after a poll: `{ query, seed, seen, gone }`. */
	staticData?: IDataObject;
}

export async function triggerCost(bench: Bench, tasks: number, rounds: number, warmup: number): Promise<TriggerFigures> {
	const tenant = `trigger${tasks}`;
	const prefix = `t${tasks}`;
	const instances = await bench.sandboxes.seedRejected('free', tenant, CODES, tasks, prefix);
	const pages = Math.ceil(instances / PAGE_SIZE);
	await bench.sandboxes.log('free');

	/** The same requests and answers for every contender, read from the sandbox log. */
	async function checkLog(name: string): Promise<void> {
		const log = await bench.sandboxes.log('free');
		const body = log.firstListBody === undefined ? undefined : (JSON.parse(log.firstListBody) as StatusQuery);
		const problems = [
			log.list !== pages && `${log.list} list requests`,
			log.tokens !== 1 && `${log.tokens} token exchanges`,
			log.statuses['200'] !== pages && `statuses ${JSON.stringify(log.statuses)}`,
			log.listBodies !== 1 && 'the body differed between pages',
			JSON.stringify(body?.approval_codes) !== JSON.stringify(QUERY.approval_codes) || body?.status !== QUERY.status ? `body ${log.firstListBody}` : false,
			log.firstListQuery?.page_size !== String(PAGE_SIZE) && `query ${JSON.stringify(log.firstListQuery)}`,
		].filter(Boolean);
		if (problems.length) throw new Error(`${name} at ${tasks} tasks did not do the same work: ${problems.join(', ')}`);
	}

	async function pollOnce(name: string, staticData: ((t: Target) => IDataObject) | undefined, check: (items: INodeExecutionData[] | null) => string | false): Promise<Outcome> {
		const target = await bench.newApp('free', tenant);
		const poller = createPoller({ credential: credentialOf(target), parameters: PARAMETERS, staticData: staticData?.(target) });
		const run = await timed(async () => await poller.poll());
		const problem = check(run.result);
		if (problem) throw new Error(`${name} at ${tasks} tasks: ${problem}`);
		return { cpuMs: run.cpuMs, wallMs: run.wallMs, staticData: poller.nodeStaticData };
	}

	// The memory before the first round: what n8n has after the poll that activated the workflow.
	const first = await pollOnce('first poll', undefined, (items) => items !== null && `${items.length} items on the first poll`);
	await checkLog('first poll');
	let recorded = first.staticData!;
	if (Buffer.from(recorded.seen as string, 'base64').length !== tasks * 8) throw new Error(`first poll remembered ${String(recorded.seen).length} base64 characters`);

	const runs = Object.fromEntries(TRIGGER_CONTENDERS.map((name) => [name, noRuns()])) as Record<ContenderName, Runs>;
	let staticDataChars = 0;

	for (let r = 0; r < warmup + rounds; r++) {
		const round = r + 1;
		await bench.sandboxes.rejectNew('free', tenant, CODES, prefix, rejectedThisRound(instances, round), round);
		const before = recorded;
		const after: Partial<Record<ContenderName, IDataObject>> = {};
		const contenders: Record<ContenderName, () => Promise<Outcome>> = {
			// Memory recorded, NEW_TASKS new rejections: the poll n8n runs at every interval.
			'steady poll': async () =>
				await pollOnce('steady poll', (t) => recordedFor(t, before), (items) => {
					const fired = (items ?? []).map((item) => String(item.json.task_id));
					return (fired.length !== NEW_TASKS || fired.some((id) => !id.endsWith(`_r${round}`))) && `fired ${JSON.stringify(fired)}`;
				}),
			// No memory for the query (activation, changed parameters): records and fires nothing.
			'baseline poll': async () => await pollOnce('baseline poll', undefined, (items) => items !== null && `${items.length} items`),
			// As section 1's floor: keeps every instance.
			'bare undici loop': async () => {
				const target = await bench.newApp('free', tenant);
				const run = await timed(async () => await bare(target, QUERY, PAGE_SIZE));
				if (run.result.length !== instances) throw new Error(`bare loop at ${tasks} tasks: ${run.result.length} instances`);
				return { cpuMs: run.cpuMs, wallMs: run.wallMs };
			},
			// Parses each page and drops it, as a poll that fires nothing could at best.
			'bare loop, keeps nothing': async () => {
				const target = await bench.newApp('free', tenant);
				const run = await timed(async () => await bareCount(target, QUERY, PAGE_SIZE));
				if (run.result !== instances) throw new Error(`bare count at ${tasks} tasks: ${run.result} instances`);
				return { cpuMs: run.cpuMs, wallMs: run.wallMs };
			},
		};
		for (let k = 0; k < TRIGGER_CONTENDERS.length; k++) {
			const name = TRIGGER_CONTENDERS[(r + k) % TRIGGER_CONTENDERS.length];
			const server = await sandboxCpuMs(bench.sandboxes);
			const once = await contenders[name]();
			const serverMs = (await sandboxCpuMs(bench.sandboxes)) - server;
			await checkLog(name);
			if (once.staticData) {
				after[name] = once.staticData;
				if (name === 'steady poll') staticDataChars = JSON.stringify(once.staticData).length;
			}
			if (r < warmup) continue;
			recordRun(runs[name], { ...once, serverMs });
		}
		// Both polls must end with every task of this round's answer, once (each with its own seed).
		const answered = (name: ContenderName) => Buffer.from(String(after[name]?.seen), 'base64').length;
		if (answered('steady poll') !== tasks * 8 || answered('baseline poll') !== tasks * 8) {
			throw new Error(`steady and baseline polls at ${tasks} tasks remembered ${answered('steady poll') / 8} and ${answered('baseline poll') / 8} tasks`);
		}
		recorded = after['steady poll']!;
	}
	Object.values(runs).forEach(takeMedians);
	return { tasks, instances, pages, runs, staticDataChars, bytesPerTask: staticDataChars / tasks };
}
