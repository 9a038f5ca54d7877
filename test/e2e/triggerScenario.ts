import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FeishuCredentialData } from '../helpers/runWorkflow';
import type { SeedInstance } from '../helpers/sandbox';
import { syncInstances } from '../helpers/sandbox';
import type { ListPage, Sandbox } from '../sandbox';
import { assert, check, waitFor } from './checks';
import { everySeconds, startCollector, triggerWorkflow } from './collector';
import { activateWorkflow, n8n } from './n8nApp';
import { executionCounts as countExecutions } from './n8nDb';
import type { N8nServer } from './n8nServer';
import { startN8n } from './n8nServer';
import { n8nTarget } from './versions';

// The Feishu Approval Trigger inside a long-lived `n8n start`, as users run it: a published
// workflow "trigger (REJECTED) → HTTP Request to a collector" polling the sandbox every 3 s (every
// minute on n8n 2.41 and later, which refuse shorter intervals: versions.ts), while the test changes
// task statuses through the sandbox's sync endpoint, moves the list between the pages of a poll,
// restarts n8n, slows Feishu down and breaks it. Every REJECTED transition must reach the collector
// exactly once.

const APP_ID = 'cli_e2e_trigger_app';
const TENANT = 'e2e-trigger';
const CODE = 'E2E-TRIGGER-0000-0000-REJECTED';
const CREDENTIAL_ID = 'feishuTrigger001';
export const TRIGGER_WORKFLOW_ID = 'e2eTriggerRej001';
const INSTANCES = 40;
/** REJECTED before activation, after the 40: with them every poll reads three pages of up to 500. */
const BULK = 1_100;

const executionCounts = async (version: string, userFolder: string) => await countExecutions(version, userFolder, TRIGGER_WORKFLOW_ID);

export interface TriggerScenario {
	version: string;
	userFolder: string;
	work: string;
	sandbox: Sandbox;
}

export async function runTriggerScenario({ version, userFolder, work, sandbox }: TriggerScenario): Promise<void> {
	// Every wait below is planned in polls, so one scenario serves 3-second and 1-minute polls.
	const POLL_SECONDS = n8nTarget(version).pollSeconds;
	const pollMs = POLL_SECONDS * 1_000;
	/** Long enough for a few polls, whatever the interval (the 3-second plan's 60 and 90 s at most). */
	const withinPolls = (count: number, floorMs: number) => Math.max(floorMs, count * pollMs + 30_000);
	const secret = `trigger-secret-${Math.random().toString(36).slice(2)}`;
	sandbox.addApp(APP_ID, secret, TENANT);
	// The third-party system syncs with an app of its own in the same tenant, so revoking the
	// trigger's secret does not stop the statuses from changing.
	const system: FeishuCredentialData = { region: 'custom', baseUrl: sandbox.baseUrl, appId: `${APP_ID}_system`, appSecret: `system-${secret}` };
	sandbox.addApp(system.appId, system.appSecret, TENANT);

	// The third-party system's view of its instances: one task each, synced through the API.
	let clock = Date.now();
	const instances: SeedInstance[] = Array.from({ length: INSTANCES + BULK }, (_, n) => ({
		approval_code: CODE,
		instance_id: `e2e_trigger_${n}`,
		status: 'PENDING',
		update_time: String(clock),
		task_list: [{ task_id: `task_${n}`, user_id: `user_${n % 5}`, status: n < 5 || n >= INSTANCES ? 'REJECTED' : 'PENDING', update_time: String(clock) }],
	}));
	const expected = new Set<string>();
	const sync = async (changes: Array<[number, string]>) => {
		clock += 1_000;
		const changed = changes.map(([n, status]) => {
			const instance = instances[n];
			instance.update_time = String(clock);
			instance.task_list = [{ ...instance.task_list[0], status, update_time: String(clock) }];
			if (status === 'REJECTED') expected.add(`${instance.instance_id}/${instance.task_list[0].task_id}@${clock}`);
			return instance;
		});
		await syncInstances(sandbox, system, changed);
	};
	await syncInstances(sandbox, system, instances);

	const collector = await startCollector();
	let server: N8nServer | undefined;
	const logs: string[] = [];
	/** The instance ids each complete poll of the trigger read, page after page (one poll at a time: pollGuard). */
	const polls: string[][] = [];
	let reading: string[] = [];
	let firstPageOfNextPoll: ((page: ListPage) => Promise<void>) | undefined;
	sandbox.onListPage(async (page) => {
		if (page.request.appId !== APP_ID) return;
		if (page.first) reading = [];
		reading.push(...page.instanceIds);
		if (page.first && firstPageOfNextPoll) {
			const act = firstPageOfNextPoll;
			firstPageOfNextPoll = undefined;
			await act(page);
		}
		if (!page.hasMore) polls.push(reading);
	});
	/** Polls whose every page was answered so far. */
	const answered = () => polls.length;
	const afterPolls = async (count: number, timeoutMs = 60_000 + 2 * count * POLL_SECONDS * 1_000) => {
		const target = answered() + count;
		await waitFor(() => answered() >= target, timeoutMs, () => `${count} more answered list requests (now ${answered()}, target ${target})`);
	};
	const start = async () => {
		server = await startN8n(version, userFolder);
	};
	const stop = async () => {
		await server?.stop();
		if (server) logs.push(server.log());
		server = undefined;
	};

	/**
	 * One phase: `act` makes transitions (each REJECTED one expected once); then wait until every
	 * expected event arrived and two more polls went by, and count missed and duplicated events.
	 */
	let counted = 0;
	const phase = async (name: string, act: () => Promise<string | void>) =>
		await check(`trigger in n8n@${version}, ${name}: every REJECTED transition fired once`, async () => {
			const before = new Set(expected);
			const note = await act();
			const fresh = [...expected].filter((key) => !before.has(key));
			const keys = () => new Set(collector.received.map((r) => r.key));
			await waitFor(() => fresh.every((key) => keys().has(key)), withinPolls(3, 90_000), () => `missing ${fresh.filter((key) => !keys().has(key)).join(', ')}`).catch(() => undefined);
			await afterPolls(2);
			const events = collector.received.slice(counted);
			counted = collector.received.length;
			const missed = fresh.filter((key) => !events.some((e) => e.key === key));
			const duplicates = events.length - new Set(events.map((e) => e.key)).size;
			const unexpected = events.filter((e) => !fresh.includes(e.key) || e.status !== 'REJECTED');
			assert(
				!missed.length && !duplicates && !unexpected.length,
				`${fresh.length} transitions: ${missed.length} missed (${missed.join(', ')}), ${duplicates} duplicates, ${unexpected.length} unexpected (${unexpected.map((e) => `${e.key} ${e.status}`).join(', ')})`,
			);
			return `${fresh.length} transitions, ${events.length} events, 0 missed, 0 duplicates${note ? `; ${note}` : ''}`;
		});
	/**
	 * A phase whose logic does not depend on the interval, so 3-second polls prove it for every
	 * version: with 1-minute polls (n8n 2.41) it would add 5 to 6 minutes each to CI. The rounds, the
	 * pages shifting under a poll, a restart and a slow answer run on every version; E2E_TRIGGER_ALL_PHASES=1 runs every phase.
	 */
	const phaseOnShortPolls = async (name: string, act: () => Promise<string | void>) => {
		if (pollMs < 60_000 || process.env.E2E_TRIGGER_ALL_PHASES === '1') return await phase(name, act);
		console.log(`note  trigger in n8n@${version}, ${name}: not run with ${POLL_SECONDS}-second polls (proven with 3-second polls; E2E_TRIGGER_ALL_PHASES=1 runs it)`);
		return true;
	};

	try {
		const ready = await check(`trigger in n8n@${version}: workflow imported and activated, n8n start polls every ${POLL_SECONDS} s`, async () => {
			const credentials = join(work, 'trigger-credential.json');
			writeFileSync(credentials, JSON.stringify([{ id: CREDENTIAL_ID, name: 'Feishu sandbox, trigger app', type: 'feishuApi', data: { region: 'custom', baseUrl: sandbox.baseUrl, appId: APP_ID, appSecret: secret } }]));
			const workflowFile = join(work, 'trigger-workflow.json');
			const workflow = triggerWorkflow({
				id: TRIGGER_WORKFLOW_ID,
				name: 'E2E: Feishu Approval Trigger (REJECTED) -> collector',
				approvalCode: CODE,
				credential: { id: CREDENTIAL_ID, name: 'Feishu sandbox, trigger app' },
				cron: everySeconds(POLL_SECONDS),
				collectorUrl: collector.url,
			});
			writeFileSync(workflowFile, JSON.stringify(workflow));
			for (const args of [
				['import:credentials', `--input=${credentials}`],
				['import:workflow', `--input=${workflowFile}`],
			]) {
				const result = await n8n(version, userFolder, args);
				assert(result.code === 0, `n8n ${args[0]} exited ${result.code}:\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`);
			}
			const activated = await activateWorkflow(version, userFolder, TRIGGER_WORKFLOW_ID);
			assert(activated.code === 0, `activating the workflow exited ${activated.code}:\n${activated.stdout.slice(-1500)}${activated.stderr.slice(-1500)}`);
			await start();
			// The activation poll records the 5 tasks already REJECTED as a baseline; then one more.
			await afterPolls(2);
			assert(collector.received.length === 0, `the baseline fired: ${collector.received.map((r) => r.key).join(', ')}`);
			return `baseline of ${5 + BULK} REJECTED tasks (three pages) recorded, nothing fired`;
		});
		if (!ready) return;

		await phase('rounds of changes between polls', async () => {
			await sync([
				[5, 'REJECTED'],
				[6, 'REJECTED'],
				[7, 'REJECTED'],
				[8, 'APPROVED'],
				[9, 'TRANSFERRED'],
			]);
			await afterPolls(1);
			// Task 5 leaves REJECTED, a poll sees it, and it comes back with a newer update time.
			await sync([[5, 'PENDING'], [10, 'DONE']]);
			await afterPolls(1);
			await sync([[5, 'REJECTED'], [0, 'REJECTED'], [11, 'REJECTED']]);
			return 'APPROVED, TRANSFERRED, DONE and PENDING never fired; a task back in REJECTED fired again';
		});

		// Issue 21's proof: on every version, 1-minute polls included (about six polls).
		await phase('pages shifting under a poll (an instance before the page boundary leaves, then one enters, while a poll is between pages)', async () => {
			/** Runs `act` after the first page of the next poll is computed; resolves with that poll's ids. */
			const duringNextPoll = async (act: () => Promise<void>): Promise<string[]> => {
				const before = polls.length;
				let acted = false;
				firstPageOfNextPoll = async () => {
					await act();
					acted = true;
				};
				await waitFor(() => acted && polls.length > before, 60_000 + 3 * POLL_SECONDS * 1_000, () => 'no poll read the list after the change was armed');
				return polls[polls.length - 1];
			};
			const idOf = (n: number) => instances[n].instance_id;
			await afterPolls(1);
			const previous = polls[polls.length - 1];
			assert(previous.length > 1_000, `a poll read ${previous.length} instances, not three pages`);
			// 1. One of the 40, all listed on page 1, leaves REJECTED after page 1 was read: the first
			// instance of page 2 slides onto page 1 and this poll never reads it.
			const leaving = instances.findIndex((instance, n) => n < INSTANCES && instance.task_list[0].status === 'REJECTED');
			const left = await duringNextPoll(async () => await sync([[leaving, 'PENDING']]));
			const skipped = previous.filter((id) => id !== idOf(leaving) && !left.includes(id));
			assert(skipped.length === 1, `the poll after the leave missed ${skipped.length} unchanged instances (${skipped.join(', ')}), not 1: the pages did not shift`);
			// 2. The skipped instance, now last on page 1, is rejected again (a newer update); then a
			// PENDING one of the 40 enters REJECTED after page 1 was read: the last of page 1 moves onto
			// page 2 and is read twice.
			const last = instances.findIndex((instance) => instance.instance_id === skipped[0]);
			await sync([[last, 'REJECTED']]);
			const entering = instances.findIndex((instance, n) => n < INSTANCES && instance.task_list[0].status === 'PENDING' && n > 22);
			const entered = await duringNextPoll(async () => await sync([[entering, 'REJECTED']]));
			const twice = entered.filter((id) => id === idOf(last)).length;
			assert(twice === 2, `the poll after the entry read ${idOf(last)} ${twice} time(s), not twice: the pages did not shift`);
			return `${previous.length} instances a poll; ${skipped[0]} skipped by one poll, ${idOf(last)} read twice by another`;
		});

		await phase('a restart (n8n stopped, rejections while it is down, started again)', async () => {
			await stop();
			await sync([
				[12, 'REJECTED'],
				[13, 'REJECTED'],
				[6, 'PENDING'],
			]);
			await sync([[14, 'REJECTED']]);
			await start();
		});

		// Answers that outlast the interval: three held 8 s with 3-second polls; with 1-minute polls one
		// held 75 s (a second would only make the phase minutes longer: ticks that come while a poll runs
		// are skipped). Transitions come every 3 s, every 30 s with 1-minute polls.
		const slow = pollMs < 60_000 ? { holdMs: 8_000, answers: 3, stepMs: pollMs } : { holdMs: pollMs + 15_000, answers: 1, stepMs: 30_000 };
		await phase(`a slow Feishu (answers held ${slow.holdMs / 1_000} s, polls every ${POLL_SECONDS} s, so ticks overlap; rejections between them)`, async () => {
			// Each held answer carries the data as it was when its request arrived, as a slow gateway
			// does: overlapping polls would then get answers of different ages, older ones last.
			const before = sandbox.listRequests().length;
			sandbox.injectFault({ type: 'delay', ms: slow.holdMs, stale: true }, slow.answers);
			await waitFor(() => sandbox.listRequests().length > before, withinPolls(1, 30_000), () => 'no poll reached the slow Feishu');
			const pause = async (ms: number) => await new Promise((r) => setTimeout(r, ms));
			// Transitions between the ticks that come while the first answer is held.
			await pause(1_500);
			await sync([[15, 'REJECTED'], [16, 'REJECTED']]);
			await pause(slow.stepMs);
			await sync([[17, 'REJECTED'], [7, 'PENDING']]);
			await pause(slow.stepMs);
			await sync([[7, 'REJECTED']]);
			await pause(slow.stepMs);
			await sync([[22, 'REJECTED']]);
			const held = sandbox.listRequests().slice(before).filter((r) => r.fault === 'delay').length;
			return `${held} held answers`;
		});

		await phaseOnShortPolls('failing polls (5xx beyond the retries, then a revoked secret), then recovery', async () => {
			const errorsBefore = (await executionCounts(version, userFolder)).error ?? 0;
			// One attempt and four retries: five 500s fail a whole poll.
			sandbox.injectFault({ type: 'http', status: 500 }, 5);
			await sync([[18, 'REJECTED'], [19, 'REJECTED']]);
			const afterServerErrors = () => executionCounts(version, userFolder).then((c) => c.error ?? 0);
			await waitFor(async () => (await afterServerErrors()) > errorsBefore, withinPolls(2, 60_000), () => 'no error execution after five 500s');
			const errorsAfter5xx = await afterServerErrors();
			// The secret is reset in the developer console: the credential's one no longer gets a token.
			sandbox.addApp(APP_ID, `revoked-${secret}`, TENANT);
			sandbox.expireTokens();
			await sync([[20, 'REJECTED'], [21, 'REJECTED']]);
			await waitFor(async () => (await afterServerErrors()) >= errorsAfter5xx + 2, withinPolls(3, 60_000), () => 'no error executions for the revoked secret');
			const errors = await afterServerErrors();
			sandbox.addApp(APP_ID, secret, TENANT);
			return `${errors - errorsBefore} error executions recorded while Feishu failed`;
		});

		await check(`trigger in n8n@${version}: no app secret or token in n8n's logs or database`, async () => {
			await stop();
			const texts = [...logs, ...['database.sqlite', 'database.sqlite-wal'].map((f) => join(userFolder, '.n8n', f)).filter(existsSync).map((f) => readFileSync(f).toString('latin1'))];
			for (const text of texts) {
				assert(!text.includes(secret), 'the app secret appears in n8n\'s logs or database');
				assert(!/t-[0-9a-f]{32}/.test(text), 'a tenant access token appears in n8n\'s logs or database');
			}
			const counts = await executionCounts(version, userFolder);
			return `${logs.length} n8n runs' logs and the database checked; executions ${JSON.stringify(counts)}`;
		});
	} finally {
		sandbox.onListPage(undefined);
		await stop();
		await collector.close();
	}
}
