import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { RateLimitOptions } from '../sandbox';
import type { ChildReply, ChildRequest, LogSummary } from './protocol';

type Command = ChildRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The parent's handle on the sandbox process. */
export class SandboxProcess {
	private next = 0;
	private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

	private constructor(private readonly child: ChildProcess) {
		child.on('message', (reply: ChildReply) => {
			const w = this.waiting.get(reply.id);
			this.waiting.delete(reply.id);
			if (reply.error !== undefined) w?.reject(new Error(`sandbox process: ${reply.error}`));
			else w?.resolve(reply.value);
		});
	}

	static spawn(): SandboxProcess {
		const child = fork(join(__dirname, 'sandboxChild.ts'), [], {
			execArgv: ['-r', 'ts-node/register/transpile-only'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		return new SandboxProcess(child);
	}

	private async call<T>(command: Command): Promise<T> {
		const id = ++this.next;
		return await new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.child.send({ ...command, id } as ChildRequest);
		});
	}

	async start(name: string, rateLimit: false | Omit<RateLimitOptions, 'now'>): Promise<string> {
		return await this.call<string>({ cmd: 'start', name, rateLimit });
	}

	async addApp(name: string, appId: string, secret: string, tenant: string): Promise<void> {
		await this.call({ cmd: 'addApp', name, appId, secret, tenant });
	}

	async seed(name: string, tenant: string, codes: string[], count: number, prefix: string): Promise<number> {
		return await this.call<number>({ cmd: 'seed', name, tenant, codes, count, prefix });
	}

	/** `tasks` REJECTED tasks in instances of 1, 2, 3, 2 tasks (repeating); returns the instance count. */
	async seedRejected(name: string, tenant: string, codes: string[], tasks: number, prefix: string): Promise<number> {
		return await this.call<number>({ cmd: 'seedRejected', name, tenant, codes, tasks, prefix });
	}

	/** Replaces the tasks of these seeded instances by new REJECTED tasks (new ids, newer update_time). */
	async rejectNew(name: string, tenant: string, codes: string[], prefix: string, instances: number[], round: number): Promise<void> {
		await this.call({ cmd: 'rejectNew', name, tenant, codes, prefix, instances, round });
	}

	/** What the sandbox saw since the last call; clears its log. */
	async log(name: string): Promise<LogSummary> {
		return await this.call<LogSummary>({ cmd: 'log', name });
	}

	/** CPU microseconds the sandbox process has used so far. */
	async cpu(): Promise<NodeJS.CpuUsage> {
		return await this.call<NodeJS.CpuUsage>({ cmd: 'cpu' });
	}

	async close(): Promise<void> {
		await this.call({ cmd: 'close' });
	}
}
