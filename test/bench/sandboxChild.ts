import { performance } from 'node:perf_hooks';

import type { ExternalInstanceSync, RateLimitOptions, Sandbox } from '../sandbox';
import { startSandbox } from '../sandbox';
import type { ChildReply, ChildRequest, LogSummary } from './protocol';
import { rejectedTasksOf } from './protocol';

// The sandboxes of the benchmark, in a process of their own: the server's CPU (JSON.stringify of
// every page, request parsing) must not count as the client's, and process.cpuUsage() cannot
// tell the two apart inside one process.

const sandboxes = new Map<string, { sandbox: Sandbox; arrivals: number[] }>();

async function start(name: string, rateLimit: false | RateLimitOptions): Promise<string> {
	const arrivals: number[] = [];
	// The gateway limiter reads its clock exactly once per list request, when it counts it: that
	// instant is the arrival the gateway judges, so it is recorded here.
	const clock = () => {
		const t = performance.now();
		arrivals.push(t);
		return t;
	};
	const sandbox = await startSandbox({ rateLimit: rateLimit === false ? false : { ...rateLimit, now: clock } });
	sandboxes.set(name, { sandbox, arrivals });
	return sandbox.baseUrl;
}

/** `count` instances with 1 to 3 tasks each, spread over `codes`; every task PENDING. */
function seed(name: string, tenant: string, codes: string[], count: number, prefix: string): number {
	const { sandbox } = get(name);
	const base = Date.UTC(2026, 10, 1);
	const statuses = ['PENDING', 'APPROVED', 'REJECTED'] as const;
	for (let n = 0; n < count; n++) {
		const time = String(base + n * 1000);
		const body: ExternalInstanceSync = {
			approval_code: codes[n % codes.length],
			instance_id: `${prefix}_${n}`,
			status: statuses[n % statuses.length],
			update_time: time,
			task_list: Array.from({ length: 1 + (n % 3) }, (_, t) => ({
				task_id: `${prefix}_${n}_task_${t}`,
				user_id: `user_${(n + t) % 97}`,
				status: 'PENDING',
				update_time: time,
			})),
		};
		sandbox.syncInstance(body, tenant);
	}
	return sandbox.instanceCount(tenant);
}

/** Instance n of the trigger's data, its tasks REJECTED; `round` > 0 gives them new ids and a newer time. */
function rejectedInstance(codes: string[], prefix: string, n: number, round: number): ExternalInstanceSync {
	const time = String(Date.UTC(2026, 10, 1) + n * 1000 + round * 86_400_000);
	const suffix = round ? `_r${round}` : '';
	return {
		approval_code: codes[n % codes.length],
		instance_id: `${prefix}_${n}`,
		status: 'REJECTED',
		update_time: time,
		task_list: Array.from({ length: rejectedTasksOf(n) }, (_, t) => ({
			task_id: `${prefix}_${n}_task_${t}${suffix}`,
			user_id: `user_${(n + t) % 97}`,
			status: 'REJECTED',
			update_time: time,
		})),
	};
}

/** Instances until `tasks` REJECTED tasks exist (a multiple of 8 gives whole instances). */
function seedRejected(name: string, tenant: string, codes: string[], tasks: number, prefix: string): number {
	const { sandbox } = get(name);
	for (let n = 0, made = 0; made < tasks; n++) {
		const instance = rejectedInstance(codes, prefix, n, 0);
		instance.task_list = instance.task_list.slice(0, tasks - made);
		made += instance.task_list.length;
		sandbox.syncInstance(instance, tenant);
	}
	return sandbox.instanceCount(tenant);
}

/**
 * New rejections between two polls: each instance's task list is replaced (REPLACE mode) by as many
 * tasks with new ids, so the number of matching tasks and the instance's place in the listing stay.
 */
function rejectNew(name: string, tenant: string, codes: string[], prefix: string, instances: number[], round: number): void {
	const { sandbox } = get(name);
	for (const n of instances) sandbox.syncInstance(rejectedInstance(codes, prefix, n, round), tenant);
}

function summary(name: string): LogSummary {
	const { sandbox, arrivals } = get(name);
	const list = sandbox.listRequests();
	const statuses: Record<string, number> = {};
	for (const r of list) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
	const summary: LogSummary = {
		list: list.length,
		tokens: sandbox.tokenRequests().length,
		statuses,
		firstListBody: list[0]?.rawBody,
		firstListQuery: list[0]?.query,
		listBodies: new Set(list.map((r) => r.rawBody)).size,
		arrivals: [...arrivals],
	};
	sandbox.clearLog();
	arrivals.length = 0;
	return summary;
}

function get(name: string) {
	const found = sandboxes.get(name);
	if (!found) throw new Error(`no sandbox "${name}"`);
	return found;
}

async function answer(request: ChildRequest): Promise<unknown> {
	switch (request.cmd) {
		case 'start':
			return await start(request.name, request.rateLimit);
		case 'addApp':
			return get(request.name).sandbox.addApp(request.appId, request.secret, request.tenant);
		case 'seed':
			return seed(request.name, request.tenant, request.codes, request.count, request.prefix);
		case 'seedRejected':
			return seedRejected(request.name, request.tenant, request.codes, request.tasks, request.prefix);
		case 'rejectNew':
			return rejectNew(request.name, request.tenant, request.codes, request.prefix, request.instances, request.round);
		case 'log':
			return summary(request.name);
		case 'cpu':
			return process.cpuUsage();
		case 'close':
			for (const { sandbox } of sandboxes.values()) await sandbox.close();
			setImmediate(() => process.exit(0));
			return null;
	}
}

process.on('message', (request: ChildRequest) => {
	answer(request).then(
		(value) => process.send?.({ id: request.id, value } satisfies ChildReply),
		(error: Error) => process.send?.({ id: request.id, error: error.message } satisfies ChildReply),
	);
});
// The parent going away must not leave a server behind.
process.on('disconnect', () => process.exit(0));
