import { performance } from 'node:perf_hooks';

import type { SandboxRequest } from '../sandbox';

// Timing and statistics. CPU is this process only: the sandbox runs in its own process.

/** Run with --expose-gc (npm run bench does): each run starts without the last one's garbage. */
export const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

export interface Timed<T> {
	result: T;
	cpuMs: number;
	wallMs: number;
}

export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
	collect();
	const cpu = process.cpuUsage();
	const start = performance.now();
	const result = await fn();
	const wallMs = performance.now() - start;
	const used = process.cpuUsage(cpu);
	return { result, cpuMs: (used.user + used.system) / 1000, wallMs };
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CPU the sandbox process has used so far, in ms: the difference over a run is the server's work. */
export async function sandboxCpuMs(sandboxes: { cpu(): Promise<NodeJS.CpuUsage> }): Promise<number> {
	const used = await sandboxes.cpu();
	return (used.user + used.system) / 1000;
}

/** The recorded runs of one contender, and their medians once all are in. */
export interface Runs {
	cpuMs: number[];
	wallMs: number[];
	/** CPU the sandbox process spent answering: equal work for every contender. */
	serverCpuMs: number[];
	medianCpuMs: number;
	medianWallMs: number;
	medianServerCpuMs: number;
}

export const noRuns = (): Runs => ({ cpuMs: [], wallMs: [], serverCpuMs: [], medianCpuMs: 0, medianWallMs: 0, medianServerCpuMs: 0 });

export function recordRun(runs: Runs, run: { cpuMs: number; wallMs: number; serverMs: number }): void {
	runs.cpuMs.push(run.cpuMs);
	runs.wallMs.push(run.wallMs);
	runs.serverCpuMs.push(run.serverMs);
}

export function takeMedians(runs: Runs): void {
	runs.medianCpuMs = median(runs.cpuMs);
	runs.medianWallMs = median(runs.wallMs);
	runs.medianServerCpuMs = median(runs.serverCpuMs);
}

/** Most arrivals inside any `windowMs` long window (times ascending): what a strict sliding-window gateway counts. */
export function maxInWindow(times: number[], windowMs: number): number {
	let max = 0;
	for (let start = 0, end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= windowMs) start++;
		max = Math.max(max, end - start + 1);
	}
	return max;
}

/**
 * Requests per second once the limiter binds. The first window is spent by the client's own start
 * (cold code, executions starting), so count what came after its last request, over the time
 * after it: a perfect sliding-window client scores exactly `limit` per window.
 */
export function sustainedRate(times: number[], limit: number): number {
	if (times.length <= limit) return NaN;
	return ((times.length - limit) / (times[times.length - 1] - times[limit - 1])) * 1000;
}

/** t[i + limit] - t[i] over all i: never below the window means the gateway never saw too many. */
export function gaps(times: number[], limit: number): { min: number; median: number } | undefined {
	const all: number[] = [];
	for (let i = 0; i + limit < times.length; i++) all.push(times[i + limit] - times[i]);
	return all.length ? { min: Math.min(...all), median: median(all) } : undefined;
}

export const round = (value: number, digits = 0): number => Number(value.toFixed(digits));

/**
 * Several processes on one app (docs/reliability-and-scaling.md): at most this share of list
 * requests answered 429, at least this share of the gateway's 50/s accepted, in every run.
 */
export const SCALING_TARGETS = { maxRefusedPercent: 5, minCeilingPercent: 80, ceilingPerSecond: 50 };

/** The gateway's view of a run of list requests: accepted and refused ones, rates, its busiest second. */
export function gatewayFigures(lists: SandboxRequest[]) {
	const accepted = lists.filter((r) => r.status === 200).length;
	const refused = lists.filter((r) => r.status === 429).length;
	const times = lists.map((r) => r.arrivedAt).sort((a, b) => a - b);
	const spanMs = times.length > 1 ? times[times.length - 1] - times[0] : 0;
	const acceptedPerSecond = spanMs ? ((accepted - 1) * 1000) / spanMs : 0;
	return {
		lists: lists.length,
		accepted,
		refused,
		other: lists.length - accepted - refused,
		spanMs,
		arrivalsPerSecond: spanMs ? ((lists.length - 1) * 1000) / spanMs : 0,
		acceptedPerSecond,
		/** The most that arrived in any 1,000 ms. */
		peakArrivals: maxInWindow(times, 1000),
		refusedPercent: lists.length ? (100 * refused) / lists.length : 0,
		ceilingPercent: (100 * acceptedPerSecond) / SCALING_TARGETS.ceilingPerSecond,
	};
}
