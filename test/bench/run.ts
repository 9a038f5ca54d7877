import './env';

import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

import { closeAll } from '../../nodes/FeishuApproval/transport';
import { batching } from './batching';
import { clientCost, PAGES } from './clientCost';
import { closeBarePools } from './contenders';
import { memory } from './memory';
import { rateCeiling, scaledMinute } from './rateCeiling';
import { mb, ms, table, verdict, x } from './report';
import { CODES, INSTANCES, setUp } from './setup';
import { tokenExchanges } from './tokens';
import type { TriggerFigures } from './trigger';
import { NEW_TASKS, TRIGGER_CONTENDERS, TRIGGER_SIZES, triggerCost } from './trigger';

// `npm run bench`: every figure of issue 8 and the trigger's of issue 11 in one run, against one
// sandbox process on 127.0.0.1.

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

const SECTIONS = ['client', 'batching', 'rate', 'tokens', 'trigger'] as const;
type Section = (typeof SECTIONS)[number];

/** `BENCH_ONLY=trigger` (or a comma list of SECTIONS) runs only those sections, e.g. while iterating. */
function selectedSections(): Set<Section> {
	const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
	if (!only?.length) return new Set(SECTIONS);
	const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
	if (unknown.length) throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
	return new Set(only as Section[]);
}

async function main(): Promise<void> {
	const started = performance.now();
	const sections = selectedSections();
	const bench = await setUp(['client', 'batching', 'rate', 'tokens'].some((s) => sections.has(s as Section)));
	const log = (s: string) => console.log(s);
	log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model}), ${mb(totalmem())} RAM; Node ${process.version}; ${new Date().toISOString()}; sections: ${[...sections].join(', ')}`);
	const figures: Record<string, unknown> = {};
	const targets: Record<string, boolean> = {};

	if (sections.has('client')) {
		// 1. Client cost.
		const cost = await clientCost(bench, ROUNDS, WARMUP);
		const [ours, floor, sdk] = cost;
		const rateFloorMs = (PAGES / 50) * 1000;
		log(
			table(
				`1. Return All, ${PAGES} pages x 500 instances (${INSTANCES} instances, 1-3 tasks each); medians of ${ROUNDS} runs after ${WARMUP} warm-up rounds; CPU = this process only`,
				['contender', 'CPU', 'CPU vs bare', 'wall', 'wall vs bare', `wall vs ${PAGES}/50 s`, 'sandbox CPU'],
				cost.map((c) => [
					`${c.name}${c.paced ? '' : ' (unpaced)'}`,
					ms(c.medianCpuMs),
					x(c.medianCpuMs / floor.medianCpuMs),
					ms(c.medianWallMs),
					x(c.medianWallMs / floor.medianWallMs),
					x(c.medianWallMs / rateFloorMs),
					ms(c.medianServerCpuMs),
				]),
			),
		);

		const mem = await memory(bench);
		const per10k = INSTANCES / 10_000;
		log(
			table(
				'1b. Memory per 10,000 instances (each contender in a fresh process; growth over a post-GC baseline)',
				['contender', 'returned JSON', 'heap peak', 'x JSON', 'RSS peak', 'x JSON', 'heap retained'],
				(['node', 'bare', 'sdk'] as const).map((k) => {
					const m = mem[k];
					const json = m.jsonBytes / per10k;
					return [k, mb(json), mb(m.heapPeakGrowth / per10k), x(m.heapPeakGrowth / m.jsonBytes), mb(m.rssPeakGrowth / per10k), x(m.rssPeakGrowth / m.jsonBytes), mb(m.heapRetained / per10k)];
				}),
			),
		);
		Object.assign(figures, { clientCost: cost, memory: mem });
		Object.assign(targets, {
			'CPU <= 1.15x bare loop': ours.medianCpuMs <= 1.15 * floor.medianCpuMs,
			'CPU below the SDK': ours.medianCpuMs < sdk.medianCpuMs,
			// At 500 instances a page the run is bound by answering and parsing, not by the limiter, on a
			// slow or busy machine: then the bare loop (same pacing, same server) is the floor that binds.
			[`wall <= 1.05x max(${PAGES}/50 s, bare loop)`]: ours.medianWallMs <= 1.05 * Math.max(rateFloorMs, floor.medianWallMs),
			'peak heap <= 3x returned JSON': mem.node.heapPeakGrowth <= 3 * mem.node.jsonBytes,
			'peak RSS <= 3x returned JSON': mem.node.rssPeakGrowth <= 3 * mem.node.jsonBytes,
		});
	}

	if (sections.has('batching')) {
		// 2. Batching.
		const batches = [await batching(bench, 100), await batching(bench, 1000)];
		log(
			table(
				'2. instanceIds mode, one id per input item, gateway enforcing 50/s',
				['input items', 'pooled requests', 'target', 'pooled wall', 'one execution per item: requests', 'wall', '429s'],
				batches.map((b) => [b.items, b.pooled.requests, b.pooled.target, ms(b.pooled.wallMs), b.perItem.requests, ms(b.perItem.wallMs), b.pooled.status429 + b.perItem.status429]),
			),
		);
		figures.batching = batches;
		targets['batching: ceil(N/20) requests'] = batches.every((b) => b.pooled.requests === b.pooled.target);
	}

	if (sections.has('rate')) {
		// 3. Rate ceiling.
		const rate = await rateCeiling(bench, 3);
		const scaled = await scaledMinute(bench, 3);
		const rateRows = [
			['3 executions, one credential, real 50/s + 1000/min (node via n8n)', rate],
			['3 workers, RateLimiter class only, windows scaled 1:10 (bare loop)', scaled],
		] as const;
		log(
			table(
				'3. Rate ceiling (arrivals timed by the gateway limiter; sliding windows)',
				['run', 'requests', '429s', 'most in any window', 't[i+limit] - t[i]: min / median', 'sustained /s', 'span', 'floor span'],
				rateRows.map(([name, r]) => [
					name,
					r.requests,
					r.status429,
					r.windows.map((w) => `${w.maxSeen}/${w.limit} per ${w.ms} ms`).join(', '),
					r.windows.map((w) => (w.gap ? `${Math.round(w.gap.min)} / ${Math.round(w.gap.median)} ms` : '-')).join(', '),
					Number.isNaN(r.sustainedPerSecond) ? '-' : r.sustainedPerSecond.toFixed(1),
					ms(r.spanMs),
					ms(r.floorSpanMs),
				]),
			),
		);
		Object.assign(figures, { rate, scaledMinute: scaled });
		Object.assign(targets, {
			'rate: >= 45/s sustained': rate.sustainedPerSecond >= 45,
			'rate: span <= 1.05x requests / 50 per s': rate.spanMs <= 1.05 * (rate.requests / 50) * 1000,
			'1000/min: never more than 1000 in any scaled minute': scaled.windows[1].maxSeen <= 1000,
			'rate: zero 429s': rate.status429 === 0 && scaled.status429 === 0,
		});
	}

	if (sections.has('tokens')) {
		// 4. Token exchanges.
		const tokens = await tokenExchanges(bench, 20);
		log(table('4. Token exchanges', ['executions in a row, one credential', 'token exchanges', 'list requests'], [[tokens.executions, tokens.tokenExchanges, tokens.requests]]));
		figures.tokens = tokens;
		targets['tokens: 1 exchange for 20 executions'] = tokens.tokenExchanges === 1;
	}

	if (sections.has('trigger')) {
		// 5. The trigger's poll.
		const trigger: TriggerFigures[] = [];
		for (const tasks of TRIGGER_SIZES) trigger.push(await triggerCost(bench, tasks, ROUNDS, WARMUP));
		log(
			table(
				`5. Trigger poll (status REJECTED, ${CODES.length} approval codes, pages of 500 instances, 1-3 tasks each); steady = memory recorded, ${NEW_TASKS} new rejections; medians of ${ROUNDS} runs after ${WARMUP} warm-up rounds`,
				['matching tasks', 'pages', 'contender', 'CPU', 'CPU vs bare', 'vs keeps nothing', 'wall', 'sandbox CPU', 'static data', 'bytes / task'],
				trigger.flatMap((t) => {
					const floor = t.runs['bare undici loop'].medianCpuMs;
					const drop = t.runs['bare loop, keeps nothing'].medianCpuMs;
					return TRIGGER_CONTENDERS.map((name) => [
						t.tasks,
						t.pages,
						name,
						ms(t.runs[name].medianCpuMs),
						x(t.runs[name].medianCpuMs / floor),
						x(t.runs[name].medianCpuMs / drop),
						ms(t.runs[name].medianWallMs),
						ms(t.runs[name].medianServerCpuMs),
						name.startsWith('bare') ? '-' : `${(t.staticDataChars / 1e6).toFixed(2)} MB`,
						name.startsWith('bare') ? '-' : t.bytesPerTask.toFixed(2),
					]);
				}),
			),
		);
		figures.trigger = trigger;
		for (const t of trigger) {
			targets[`trigger, ${t.tasks} tasks: steady poll CPU <= 1.3x bare loop`] = t.runs['steady poll'].medianCpuMs <= 1.3 * t.runs['bare undici loop'].medianCpuMs;
			targets[`trigger, ${t.tasks} tasks: <= 12 bytes of static data per task`] = t.bytesPerTask <= 12;
		}
	}

	log(table('Targets', ['target', 'result'], Object.entries(targets).map(([name, ok]) => [name, verdict(ok)])));
	const totalSeconds = (performance.now() - started) / 1000;
	log(`\nbench finished in ${totalSeconds.toFixed(0)} s\n`);
	log(JSON.stringify({ machine: { cpus: cpus().length, memoryBytes: totalmem(), node: process.version, date: new Date().toISOString() }, ...figures, targets, totalSeconds }, null, 1));

	await bench.sandboxes.close();
	await closeAll();
	await closeBarePools();
}

main().then(
	// n8n-core leaves a 60 s cleanup interval running (see test/helpers/jestAfterEnv.ts).
	() => process.exit(0),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
