import type { Contender, StatusQuery } from './contenders';
import { bare, node, sdk } from './contenders';
import type { Runs } from './measure';
import { noRuns, recordRun, sandboxCpuMs, takeMedians, timed } from './measure';
import type { Bench } from './setup';
import { CODES, INSTANCES } from './setup';

// Section 1: Return All over 100 pages of 500 instances, the same query for every contender.

export const PAGE_SIZE = 500;
export const PAGES = INSTANCES / PAGE_SIZE;
export const QUERY: StatusQuery = { approval_codes: CODES, status: 'PENDING' };

export const CONTENDERS: Array<{ name: string; paced: boolean; run: Contender }> = [
	{ name: 'node via n8n engine', paced: true, run: node },
	{ name: 'bare undici loop', paced: true, run: bare },
	{ name: 'official SDK', paced: false, run: sdk },
];

export interface CostFigures extends Runs {
	name: string;
	paced: boolean;
}

/** One run of one contender, checked against the sandbox log: same requests, same answers. */
async function runOnce(bench: Bench, contender: Contender, name: string) {
	const target = await bench.newApp('free', 'bench');
	const server = await sandboxCpuMs(bench.sandboxes);
	const run = await timed(async () => await contender(target, QUERY, PAGE_SIZE));
	const serverMs = (await sandboxCpuMs(bench.sandboxes)) - server;
	const log = await bench.sandboxes.log('free');
	const problems = [
		run.result.length !== INSTANCES && `${run.result.length} instances`,
		log.list !== PAGES && `${log.list} list requests`,
		log.tokens !== 1 && `${log.tokens} token exchanges`,
		log.statuses['200'] !== PAGES && `statuses ${JSON.stringify(log.statuses)}`,
		log.listBodies !== 1 && 'the body differed between pages',
	].filter(Boolean);
	if (problems.length) throw new Error(`${name} did not do the same work: ${problems.join(', ')}`);
	return { cpuMs: run.cpuMs, wallMs: run.wallMs, serverMs };
}

/** Contenders alternate, each round starting with the next one, after `warmup` unrecorded rounds. */
export async function clientCost(bench: Bench, rounds: number, warmup: number): Promise<CostFigures[]> {
	const figures: CostFigures[] = CONTENDERS.map((c) => ({ name: c.name, paced: c.paced, ...noRuns() }));
	for (let r = 0; r < warmup + rounds; r++) {
		for (let k = 0; k < CONTENDERS.length; k++) {
			const index = (r + k) % CONTENDERS.length;
			const once = await runOnce(bench, CONTENDERS[index].run, CONTENDERS[index].name);
			if (r < warmup) continue;
			recordRun(figures[index], once);
		}
	}
	figures.forEach(takeMedians);
	return figures;
}
