import type { Target } from './contenders';
import { SandboxProcess } from './sandboxProcess';

// One sandbox process with three servers, so every contender meets the same server and data:
// `free` has no gateway limit (client cost: our limiter still paces at 50 per 1,050 ms), `gateway`
// enforces the real 50/s and 1000/min, `scaled` the same counts in windows ten times shorter.

export const CODES = ['A1', 'A2', 'A3', 'A4', 'A5'].map((c) => `${c}000000-C2GC-452F-9F0F-9AA8352363D6`);
export const BATCH_CODE = 'BA000000-C2GC-452F-9F0F-9AA8352363D6';
export const RATE_CODE = 'RA000000-C2GC-452F-9F0F-9AA8352363D6';

export type SandboxName = 'free' | 'gateway' | 'scaled';

export interface Bench {
	sandboxes: SandboxProcess;
	baseUrl: Record<SandboxName, string>;
	/** A fresh app, so no token, limiter budget or log leaks between runs; it sees `tenant`'s data. */
	newApp(sandbox: SandboxName, tenant: string): Promise<Target>;
}

export const INSTANCES = 50_000;

/** `seedLists`: the data of sections 1 to 4 (the trigger's section seeds its own tenants). */
export async function setUp(seedLists = true): Promise<Bench> {
	const sandboxes = SandboxProcess.spawn();
	const baseUrl = {
		free: await sandboxes.start('free', false),
		gateway: await sandboxes.start('gateway', {}),
		scaled: await sandboxes.start('scaled', { perSecond: 50, secondMs: 100, perMinute: 1000, minuteMs: 6000 }),
	};
	// Seeded in the sandbox process through syncInstance (the sync endpoint's own logic).
	if (seedLists) {
		await sandboxes.seed('free', 'bench', CODES, INSTANCES, 'inst');
		await sandboxes.seed('gateway', 'batch', [BATCH_CODE], 1000, 'b');
		await sandboxes.seed('gateway', 'rate', [RATE_CODE], 1000, 'r');
		await sandboxes.seed('scaled', 'rate', [RATE_CODE], 500, 's');
	}
	let apps = 0;
	return {
		sandboxes,
		baseUrl,
		async newApp(sandbox, tenant) {
			const target = { baseUrl: baseUrl[sandbox], appId: `cli_bench_${++apps}`, appSecret: `secret_${apps}` };
			await sandboxes.addApp(sandbox, target.appId, target.appSecret, tenant);
			return target;
		},
	};
}
