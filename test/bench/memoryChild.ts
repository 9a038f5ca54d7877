import './env';

import type { Contender, StatusQuery, Target } from './contenders';
import { bare, node, sdk } from './contenders';
import { collect } from './measure';
import { closeAll } from '../../nodes/FeishuApproval/transport';

// One contender's memory, in a fresh process of its own: RSS never shrinks back, so a contender
// measured after another would inherit its peak. Heap and RSS are sampled every millisecond
// (a sampled peak is a lower bound: a synchronous stretch cannot be sampled inside).

export interface MemoryTask {
	contender: 'node' | 'bare' | 'sdk';
	/** An app whose tenant is empty: one run loads and compiles everything first. */
	warmup: Target;
	target: Target;
	query: StatusQuery;
	pageSize: number;
}

export interface MemoryFigures {
	instances: number;
	jsonBytes: number;
	heapPeakGrowth: number;
	rssPeakGrowth: number;
	/** Heap still used after a full GC while the result is held. */
	heapRetained: number;
}

const contenders: Record<MemoryTask['contender'], Contender> = { node, bare, sdk };

async function measure(task: MemoryTask): Promise<MemoryFigures> {
	const run = contenders[task.contender];
	await run(task.warmup, task.query, task.pageSize);
	collect();
	const base = process.memoryUsage();
	let heapPeak = base.heapUsed;
	let rssPeak = base.rss;
	const sample = () => {
		const now = process.memoryUsage();
		heapPeak = Math.max(heapPeak, now.heapUsed);
		rssPeak = Math.max(rssPeak, now.rss);
	};
	const sampler = setInterval(sample, 1);
	const result = await run(task.target, task.query, task.pageSize);
	clearInterval(sampler);
	sample();
	collect();
	const heapRetained = process.memoryUsage().heapUsed - base.heapUsed;
	// n8n items wrap each instance as `json`: the returned JSON is the instances either way.
	const instances = result.map((r) => (task.contender === 'node' ? (r as { json: unknown }).json : r));
	return {
		instances: instances.length,
		jsonBytes: Buffer.byteLength(JSON.stringify(instances)),
		heapPeakGrowth: heapPeak - base.heapUsed,
		rssPeakGrowth: rssPeak - base.rss,
		heapRetained,
	};
}

process.once('message', (task: MemoryTask) => {
	measure(task).then(
		async (figures) => {
			await closeAll();
			process.send?.(figures, () => process.exit(0));
		},
		(error: Error) => {
			console.error(error);
			process.exit(1);
		},
	);
});
