// The e2e runner's checks: named, timed, counted; a failure is reported and the run goes on.
import { AsyncLocalStorage } from 'node:async_hooks';

let passed = 0;
let failed = 0;

/** Suites that run side by side (run.ts): each check's line carries its suite's label, and each suite counts its own failures. */
const suite = new AsyncLocalStorage<{ label: string; failed: number }>();
export const inSuite = async <T>(label: string, body: () => Promise<T>): Promise<T> => await suite.run({ label, failed: 0 }, body);
/** Failures in the current suite (all failures outside one). */
export const suiteFailures = (): number => suite.getStore()?.failed ?? failed;
const tag = () => {
	const store = suite.getStore();
	return store ? `[${store.label}] ` : '';
};
const failOne = () => {
	failed++;
	const store = suite.getStore();
	if (store) store.failed++;
};

export const results = (): { passed: number; failed: number } => ({ passed, failed });

export function fail(what: string, error: unknown): void {
	failOne();
	console.log(`FAIL  ${tag()}${what}: ${(error as Error)?.stack ?? String(error)}`);
}

export async function check(name: string, body: () => Promise<string | void>): Promise<boolean> {
	const started = Date.now();
	try {
		const note = await body();
		passed++;
		console.log(`ok    ${tag()}${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${note ? `: ${note}` : ''}`);
		return true;
	} catch (error) {
		failOne();
		console.log(`FAIL  ${tag()}${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n      ${String((error as Error).message ?? error).split('\n').join('\n      ')}`);
		return false;
	}
}

export function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

/** Waits until `condition` holds, checking every 200 ms; throws `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s: ${what()}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}
