import type { Target } from './contenders';
import { timed } from './measure';
import type { Bench } from './setup';
import { runWorkflow } from '../helpers/runWorkflow';

// Section 2: N input items, one instance id each, in one execution (pooled into requests of 20
// ids) against one execution per item (one request each), both against the real-limit gateway.

export interface BatchFigures {
	items: number;
	pooled: { requests: number; target: number; wallMs: number; cpuMs: number; status429: number };
	perItem: { requests: number; wallMs: number; cpuMs: number; status429: number };
}

const credential = (t: Target) => ({ region: 'custom', baseUrl: t.baseUrl, appId: t.appId, appSecret: t.appSecret });
const parameters = { queryBy: 'instanceIds', instanceIds: '={{ $json.instanceId }}', returnAll: true };

export async function batching(bench: Bench, n: number): Promise<BatchFigures> {
	const ids = Array.from({ length: n }, (_, i) => `b_${i}`);

	const pooledApp = await bench.newApp('gateway', 'batch');
	const pooled = await timed(
		async () => await runWorkflow({ credential: credential(pooledApp), parameters, items: ids.map((instanceId) => ({ instanceId })) }),
	);
	const pooledLog = await bench.sandboxes.log('gateway');
	// Every item must get its own instance back, paired with it.
	const wrong = pooled.result.items.filter((item, i) => item.json.instance_id !== ids[i] || (item.pairedItem as { item: number }).item !== i);
	if (pooled.result.error || pooled.result.items.length !== n || wrong.length) throw new Error(`pooled run of ${n} items went wrong`);

	const perItemApp = await bench.newApp('gateway', 'batch');
	const perItem = await timed(async () => {
		for (const instanceId of ids) await runWorkflow({ credential: credential(perItemApp), parameters, items: [{ instanceId }] });
	});
	const perItemLog = await bench.sandboxes.log('gateway');

	return {
		items: n,
		pooled: {
			requests: pooledLog.list,
			target: Math.ceil(n / 20),
			wallMs: pooled.wallMs,
			cpuMs: pooled.cpuMs,
			status429: pooledLog.statuses['429'] ?? 0,
		},
		perItem: { requests: perItemLog.list, wallMs: perItem.wallMs, cpuMs: perItem.cpuMs, status429: perItemLog.statuses['429'] ?? 0 },
	};
}
