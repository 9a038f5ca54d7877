import { RETAINED_POLLS, rememberedTaskCount, seenTaskCount } from '../../nodes/FeishuApproval/trigger/poll/seenTasks';
import type { Poller } from '../helpers/runPoll';
import { createPoller } from '../helpers/runPoll';
import type { FeishuCredentialData } from '../helpers/runWorkflow';
import type { SeedInstance } from '../helpers/sandbox';
import { makeInstances, newApp, useSandbox } from '../helpers/sandbox';
import type { ExternalInstanceSync, ListPage } from '../sandbox';

// The list moving under a poll that reads several pages (issue 21). The sandbox's page tokens are
// offsets, the worst case: an instance leaving the list before the page boundary moves the first
// of the next page onto the page already read (skipped this poll); one entering moves the last of
// the page read onto the next (read twice).

const CODE = 'E78F1022-A166-447C-8320-E151DA90D70F';
const PARAMETERS = { approvalCodes: CODE, status: 'REJECTED', output: 'tasks' };
const LATER = Date.UTC(2026, 11, 1);

describe('Feishu Approval Trigger, when the list shifts between the pages of one poll', () => {
	const env = useSandbox();
	let stamp = LATER;

	/** The trigger's app with `instances` synced in process (fast for thousands), and a baseline poll made. */
	async function activated(instances: SeedInstance[]): Promise<{ app: FeishuCredentialData; poller: Poller }> {
		const app = newApp(env.sandbox);
		for (const instance of instances) sync(app, instance);
		const poller = createPoller({ credential: app, parameters: PARAMETERS });
		expect(await poller.poll()).toBeNull();
		return { app, poller };
	}

	function sync(app: FeishuCredentialData, instance: SeedInstance): void {
		env.sandbox.syncInstance(instance as ExternalInstanceSync, app.appId);
	}

	/** The instance with its task set to `status` at a newer update time (the system syncing a change). */
	function turn(app: FeishuCredentialData, instance: SeedInstance, status: string): string {
		const time = String(++stamp);
		instance.update_time = time;
		instance.task_list = [{ ...instance.task_list[0], status, update_time: time }];
		sync(app, instance);
		return `${instance.instance_id}@${time}`;
	}

	/**
	 * Runs `change` once, after the first page of the next listing is computed and before it is
	 * sent; returns the ids that listing's pages carry.
	 */
	function afterFirstPage(change: () => void): string[] {
		const served: string[] = [];
		let changed = false;
		env.sandbox.onListPage((page) => {
			served.push(...page.instanceIds);
			if (changed) return;
			changed = true;
			change();
		});
		return served;
	}

	afterEach(() => env.sandbox.onListPage(undefined));

	const fired = (items: Awaited<ReturnType<Poller['poll']>>) => (items ?? []).map((item) => `${String(item.json.instance_id)}@${String(item.json.task_update_time)}`);

	test('Should not fire again a task that one poll missed because an instance before the boundary left', async () => {
		// 1,200 REJECTED instances: pages of 500, 500 and 200.
		const instances = makeInstances(CODE, 1_200, 'REJECTED');
		const { app, poller } = await activated(instances);
		const served = afterFirstPage(() => turn(app, instances[10], 'PENDING'));

		expect(await poller.poll()).toBeNull();
		env.sandbox.onListPage(undefined);
		// Instance 500, first of page 2, slid onto page 1 after it was read: this poll never saw it.
		expect(served).toHaveLength(1_199);
		expect(served).not.toContain(instances[500].instance_id);
		expect(seenTaskCount(poller.nodeStaticData)).toBe(1_199);

		for (let n = 0; n < RETAINED_POLLS + 1; n++) expect(fired(await poller.poll())).toEqual([]);
		expect(seenTaskCount(poller.nodeStaticData)).toBe(1_199);
	});

	test('Should fire once a task read twice because an instance before the boundary entered, and fire the entering one at the next poll', async () => {
		const instances = makeInstances(CODE, 1_200, 'REJECTED');
		instances[10].task_list[0].status = 'PENDING';
		const { app, poller } = await activated(instances);
		// Instance 500 is the last of page 1 (instance 10 is not listed); it is rejected again, later.
		const again = turn(app, instances[500], 'REJECTED');
		let entered = '';
		const served = afterFirstPage(() => {
			entered = turn(app, instances[10], 'REJECTED');
		});

		expect(fired(await poller.poll())).toEqual([again]);
		env.sandbox.onListPage(undefined);
		// Instance 500 came last on page 1 and first on page 2.
		expect(served.filter((id) => id === instances[500].instance_id)).toHaveLength(2);
		expect(fired(await poller.poll())).toEqual([entered]);
		for (let n = 0; n < RETAINED_POLLS + 1; n++) expect(fired(await poller.poll())).toEqual([]);
	});

	test('Should fire every change exactly once while instances leave and enter between pages over many polls', async () => {
		// 2,000 instances, 1,700 of them REJECTED: four pages a poll. Each instance changes at most
		// once, so every REJECTED transition is seen by some complete poll.
		const instances = makeInstances(CODE, 2_000, 'REJECTED');
		for (let n = 0; n < 2_000; n += 7) instances[n].task_list[0].status = 'PENDING';
		const { app, poller } = await activated(instances);
		let random = 0x2545f491;
		const next = (below: number) => {
			random = (Math.imul(random, 1_103_515_245) + 12_345) >>> 0;
			return (random >>> 8) % below;
		};
		const untouched = new Set(instances.keys());
		const expected: string[] = [];
		/** A change to an instance listed before `position` (on a page already read), or anywhere. */
		const change = (beforeIndex = instances.length) => {
			const candidates = [...untouched].filter((n) => n < beforeIndex);
			if (!candidates.length) return;
			const n = candidates[next(candidates.length)];
			untouched.delete(n);
			if (instances[n].task_list[0].status === 'REJECTED') turn(app, instances[n], 'PENDING');
			else expected.push(turn(app, instances[n], 'REJECTED'));
		};
		const listedBefore = (page: ListPage) => instances.findIndex((i) => i.instance_id === page.instanceIds.at(-1));
		env.sandbox.onListPage((page) => {
			// After most pages that have a next one, one or two instances already read leave or enter.
			if (!page.hasMore || next(4) === 0) return;
			for (let k = next(2); k >= 0; k--) change(listedBefore(page) + 1);
		});

		const events: string[] = [];
		for (let round = 0; round < 12; round++) {
			events.push(...fired(await poller.poll()));
			change();
		}
		env.sandbox.onListPage(undefined);
		for (let n = 0; n < RETAINED_POLLS + 1; n++) events.push(...fired(await poller.poll()));

		expect(expected.length).toBeGreaterThan(10);
		expect(events.filter((event, n) => events.indexOf(event) !== n)).toEqual([]);
		expect([...events].sort()).toEqual([...expected].sort());
		// Bounded: at most the task updates of the last three answers.
		expect(rememberedTaskCount(poller.nodeStaticData)).toBeLessThanOrEqual(3 * 2_000);
	});
});
