import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chunk, IdListError, parseIdList } from '../../helpers/idList';
import { InputError } from '../../helpers/inputError';
import type { Output } from '../../helpers/output';
import { shape } from '../../helpers/output';
import { isTaskStatus, TASK_STATUSES } from '../../helpers/taskStatus';
import type { ExternalInstance, ExternalTask, ExternalTasksQuery, FeishuApp } from '../../transport';
import { appFromCredential, CredentialError, externalTasksPages, MAX_IDS_PER_REQUEST, MAX_PAGE_SIZE, toNodeError } from '../../transport';
import { DigestSet } from './digestSet';
import { pollExclusively } from './pollGuard';
import type { TaskMemory } from './seenTasks';
import { newSeed, nextGenerations, queryKey, readSeenTasks, remembers, taskDigest, writeSeenTasks } from './seenTasks';
import { FEISHU_API_CREDENTIAL } from '../../helpers/nodeTypes';

/** How many of the most recent matches a manual test run returns, for mapping fields. */
export const SAMPLE_SIZE = 5;

/**
 * Default bound of one poll, in minutes: generous, so a slow but working Feishu (10 to 20 s an
 * answer, many pages) is no error, yet retries and 429 waits cannot hold a poll, and with it the
 * overlap guard, for ever.
 */
export const DEFAULT_DEADLINE_MINUTES = 10;


interface TriggerQuery {
	approvalCodes: string[];
	status: string;
	userIds: string[];
	output: Output;
	deadlineMs: number;
}

/** A task in the watched status, with the instance that carries it. */
interface Match {
	instance: ExternalInstance;
	task: ExternalTask;
}

/** What one poll read: every matching task update once, and the ones to fire. */
interface Answer {
	/** Digests (taskDigest, with the memory's seed) of every matching task update, in the API's order. */
	digests: DigestSet;
	/** The same with `reseed.seed`, while memory saved with seed 0 moves to a random seed. */
	reseed?: { seed: number; digests: DigestSet };
	/** The matches to fire (see Firing), in the API's order. */
	fired: Match[];
}

/** A complete poll: its answer, the seed of its digests, and the memory it was compared with. */
interface Read extends Answer {
	seed: number;
	memory?: TaskMemory;
}


/** Reads and checks the parameters before anything is sent. */
function readQuery(this: IPollFunctions): TriggerQuery {
	const node = this.getNode();
	try {
		const approvalCodes = parseIdList(this.getNodeParameter('approvalCodes', ''), 'Approval Codes');
		if (!approvalCodes.length) throw new InputError('Approval Codes is empty: enter at least one');
		const userIds = parseIdList(this.getNodeParameter('userIds', ''), 'User IDs');
		const status = this.getNodeParameter('status', 'REJECTED') as string;
		if (!isTaskStatus(status)) {
			throw new InputError(`Task Status "${status}" is not one of ${TASK_STATUSES.join(', ')}`);
		}
		const output = this.getNodeParameter('output', 'tasks') as string;
		if (output !== 'instances' && output !== 'tasks') throw new InputError(`Output "${output}" is not one of instances, tasks`);
		const { deadline = DEFAULT_DEADLINE_MINUTES } = this.getNodeParameter('options', {}) as { deadline?: number };
		if (typeof deadline !== 'number' || !(deadline > 0)) throw new InputError(`Poll Deadline must be a number of minutes above 0, not ${String(deadline)}`);
		return { approvalCodes, status, userIds, output, deadlineMs: deadline * 60_000 };
	} catch (error) {
		if (error instanceof InputError || error instanceof IdListError) throw new NodeOperationError(node, error.message);
		throw toNodeError(node, error, 0);
	}
}

async function readApp(this: IPollFunctions): Promise<FeishuApp> {
	try {
		return appFromCredential(await this.getCredentials(FEISHU_API_CREDENTIAL));
	} catch (error) {
		if (error instanceof CredentialError) throw new NodeOperationError(this.getNode(), error.message);
		throw toNodeError(this.getNode(), error, 0);
	}
}

/**
 * Which matches to keep: all (a manual run's sample), none (a baseline), or those not in this
 * memory. Data rather than a closure made per poll: --trace-deopt showed the page loop's optimized
 * code thrown away for "weak objects" poll after poll, and a closure that died with its poll is
 * such an object [seen: test/bench/RESULTS.md, section 5; the closure as the cause is a guess].
 */
type Firing = 'all' | 'none' | TaskMemory;

/**
 * Asked once, when the first page has arrived: a poll that fails before any answer (a wrong
 * secret, Feishu down) has then not touched the static data.
 */
type FiringRule = () => Firing;

/** The seed of this poll's digests: the memory's, a new one for a baseline, 0 for a sample. */
function seedOf(firing: Firing): number {
	if (firing === 'all') return 0;
	return firing === 'none' ? newSeed() : firing.seed;
}

/**
 * One page's tasks in the watched status into the answer. A plain function called per page, so V8
 * can optimize it like any hot function, not only by on-stack replacement inside an async
 * function that a poll resumes once per page [guess].
 */
function collect(instances: ExternalInstance[], status: string, answer: Answer, firing: Firing, seed: number): void {
	for (const instance of instances) {
		for (const task of instance.tasks ?? []) {
			// The API filters by status already [doc]; checking again costs nothing and keeps a
			// lenient server from firing the trigger for the wrong status.
			if (task.status !== status) continue;
			const update = {
				approvalCode: String(instance.approval_code),
				instanceId: String(instance.instance_id),
				taskId: String(task.id),
				updateTime: String(task.update_time ?? ''),
			};
			const digest = taskDigest(update, seed);
			// An instance read twice (one entering the list before a page boundary while we page
			// moves the rest down a place) counts once.
			if (!answer.digests.add(digest)) continue;
			if (answer.reseed) answer.reseed.digests.add(taskDigest(update, answer.reseed.seed));
			if (firing === 'all' || (firing !== 'none' && !remembers(firing, digest))) answer.fired.push({ instance, task });
		}
	}
}

/**
 * Every task in the watched status, over all pages of all queries (groups of 20 codes). A failed
 * page throws out of here: the caller never works with a partial answer. Only the matches that
 * the rule accepts are kept, with their instances: a steady poll holds a digest per task instead
 * of every page, which spares the garbage collector most of its work (test/bench/RESULTS.md, section 5).
 */
async function fetchMatches(app: FeishuApp, query: TriggerQuery, signal: AbortSignal, rule: FiringRule): Promise<Read> {
	const answer: Answer = { digests: new DigestSet(), fired: [] };
	let firing: Firing | undefined;
	let seed = 0;
	for (const approvalCodes of chunk(query.approvalCodes, MAX_IDS_PER_REQUEST)) {
		const body: ExternalTasksQuery = query.userIds.length
			? { approval_codes: approvalCodes, user_ids: query.userIds, status: query.status }
			: { approval_codes: approvalCodes, status: query.status };
		for await (const page of externalTasksPages(app, body, { pageSize: MAX_PAGE_SIZE, signal })) {
			if (firing === undefined) {
				firing = rule();
				seed = seedOf(firing);
				if (firing !== 'all' && firing !== 'none' && firing.unseeded) answer.reseed = { seed: newSeed(), digests: new DigestSet() };
			}
			collect(page.data, query.status, answer, firing, seed);
		}
	}
	return Object.assign(answer, { seed, memory: typeof firing === 'object' ? firing : undefined });
}

/** One item per instance (carrying only the given tasks) or one row per task, in the API's order. */
function shapeMatches(matches: Match[], output: Output): INodeExecutionData[] {
	const byInstance = new Map<string, { instance: ExternalInstance; tasks: ExternalTask[] }>();
	for (const { instance, task } of matches) {
		const key = JSON.stringify([String(instance.approval_code), String(instance.instance_id)]);
		const group = byInstance.get(key) ?? { instance, tasks: [] };
		byInstance.set(key, group);
		group.tasks.push(task);
	}
	return shape(
		[...byInstance.values()].map(({ instance, tasks }) => ({ ...instance, tasks })),
		output,
	);
}

function newestFirst(a: Match, b: Match): number {
	return (Number(b.task.update_time) || 0) - (Number(a.task.update_time) || 0);
}

/** Every match, or a clear error: the poll's deadline, or the transport's last failure. */
async function fetchBefore(this: IPollFunctions, app: FeishuApp, query: TriggerQuery, rule: FiringRule): Promise<Read> {
	const signal = AbortSignal.timeout(query.deadlineMs);
	try {
		return await fetchMatches(app, query, signal, rule);
	} catch (error) {
		if (signal.aborted) {
			throw new NodeOperationError(this.getNode(), `The poll did not finish within its deadline of ${query.deadlineMs / 60_000} minute(s)`, {
				description:
					'Feishu answered too slowly, or retries and rate-limit waits took too long. Nothing was emitted and the memory is unchanged: ' +
					'the next poll reads every page again and fires what this one would have. If this repeats, raise Options → Poll Deadline or poll less often.',
			});
		}
		// Thrown, never swallowed: a revoked secret or a failing API must not look like "nothing new".
		throw toNodeError(this.getNode(), error, 0);
	}
}

/**
 * The seed and generations to store after a complete poll. Memory saved with seed 0 (0.1.0's nested form, or digests without a seed)
 * moves to the random seed computed beside it once nothing absent would be lost by the move:
 * absent updates cannot be digested again with the new seed, since their values are not read.
 */
function remember(read: Read): [number | undefined, DigestSet[]] {
	const generations = nextGenerations(read.memory, read.digests);
	if (!read.memory?.unseeded) return [read.seed, generations];
	if (read.reseed && generations.every((generation, n) => n === 0 || generation.size === 0)) {
		return [read.reseed.seed, nextGenerations(undefined, read.reseed.digests)];
	}
	return [undefined, generations];
}

/**
 * One poll: read every matching page, compare with the memory and roll it forward (seenTasks.ts). It is
 * written only after all pages arrived, so a poll that throws leaves it as it was and the next
 * poll emits what this one could not (Airtable's trigger commits the same way). At most one poll
 * of a node runs at a time in the process (pollGuard.ts), so the memory read at the first page is
 * still the memory when the last has arrived.
 */
export async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const query = readQuery.call(this);
	const app = await readApp.call(this);

	// A test run shows recent matches to map fields with; n8n does not save static data of manual
	// runs, and reading it would make the sample depend on the active workflow's state.
	if (this.getMode() === 'manual') {
		const { fired: matches } = await fetchBefore.call(this, app, query, () => 'all');
		const sample = matches.sort(newestFirst).slice(0, SAMPLE_SIZE);
		return sample.length ? [shapeMatches(sample, query.output)] : null;
	}

	const node = this.getNode();
	const guardKey = JSON.stringify([this.getWorkflow().id ?? '', node.id || node.name]);
	return await pollExclusively(guardKey, null, async () => {
		const key = queryKey({ origin: app.origin, appId: app.appId, approvalCodes: query.approvalCodes, status: query.status, userIds: query.userIds });
		const read = await fetchBefore.call(this, app, query, () => {
			// No memory for this query (first poll after activation, or changed parameters): record a
			// baseline and fire nothing, instead of firing for every task that already has the status.
			return readSeenTasks(this.getWorkflowStaticData('node'), key) ?? 'none';
		});
		writeSeenTasks(this.getWorkflowStaticData('node'), key, ...remember(read));
		return read.fired.length ? [shapeMatches(read.fired, query.output)] : null;
	});
}
