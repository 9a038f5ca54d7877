import { fork } from 'node:child_process';
import { join } from 'node:path';

import { PAGE_SIZE, QUERY } from './clientCost';
import type { MemoryFigures, MemoryTask } from './memoryChild';
import type { Bench } from './setup';

// Section 1, memory: each contender once, in a fresh process, against the same `free` sandbox.

export async function memory(bench: Bench): Promise<Record<MemoryTask['contender'], MemoryFigures>> {
	const figures = {} as Record<MemoryTask['contender'], MemoryFigures>;
	for (const contender of ['node', 'bare', 'sdk'] as const) {
		const task: MemoryTask = {
			contender,
			warmup: await bench.newApp('free', 'empty'),
			target: await bench.newApp('free', 'bench'),
			query: QUERY,
			pageSize: PAGE_SIZE,
		};
		const child = fork(join(__dirname, 'memoryChild.ts'), [], {
			execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
		});
		figures[contender] = await new Promise<MemoryFigures>((resolve, reject) => {
			child.once('message', (m: MemoryFigures) => resolve(m));
			child.once('exit', (code) => reject(new Error(`memory run of ${contender} exited with ${code}`)));
			child.send(task);
		});
		await bench.sandboxes.log('free');
	}
	return figures;
}
