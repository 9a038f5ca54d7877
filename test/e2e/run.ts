// `npm run test:e2e`: the packed package inside the real n8n app, headless, against the sandbox.
// Not a jest test, so `npm test` stays fast. Prints "N passed, M failed" last; exits 1 on any failure.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import type { DemoData, Sandbox } from '../sandbox';
import { seedDemoData, startSandbox } from '../sandbox';
import { buildAndPack, installLikeN8n, PACKAGE_NAME } from './communityPackage';
import { runDockerRecipes } from './dockerRecipes';
import { assert, check, fail, inSuite, results, suiteFailures } from './checks';
import type { CommandResult } from './n8nApp';
import { crashedOnExit, ensureN8n, n8n as n8nOf, N8N_VERSIONS, parseJsonOutput, ROOT } from './n8nApp';
import { listAll, taskCount } from './oracle';
import { runAgentScenario } from './agentScenario';
import { runTriggerScenario } from './triggerScenario';
import { n8nTarget, NEWEST_N8N } from './versions';
import { runWebhookScenario } from './webhookScenario';

const GOOD_CREDENTIAL = 'feishuSandbox001';
const WRONG_CREDENTIAL = 'feishuWrongKey01';
const WRONG_SECRET = 'wrong-secret-e2e-4c1d';

interface Item {
	json: Record<string, unknown>;
	binary?: Record<string, { fileName?: string; mimeType?: string; data?: string; id?: string }>;
	pairedItem?: unknown;
}
interface RunOutput {
	data: { resultData: { runData: Record<string, Array<{ data?: { main: Item[][] } }>>; error?: { message: string } } };
}

function nodeItems(run: RunOutput, node: string): Item[] {
	const items = run.data.resultData.runData[node]?.[0]?.data?.main?.[0];
	assert(items, `node "${node}" has no output; nodes that ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	return items;
}

function commandFailure(what: string, result: CommandResult): Error {
	return new Error(`${what} exited ${result.code}\n--- stdout\n${result.stdout.slice(-3000)}\n--- stderr\n${result.stderr.slice(-3000)}`);
}

/**
 * A binary property's content: inline base64, or (n8n 2.x default) a file in the user folder's
 * binary data store, named by the part of its id after "filesystem-v2:".
 */
function readBinary(userFolder: string, binary: { data?: string; id?: string }): string {
	if (!binary.id) return Buffer.from(binary.data ?? '', 'base64').toString('utf8');
	const suffix = binary.id.replace(/^filesystem(-v2)?:/, '');
	const found = readdirSync(join(userFolder, '.n8n'), { recursive: true })
		.map(String)
		.find((path) => path.endsWith(suffix));
	assert(found, `binary data ${binary.id} is not under ${userFolder}/.n8n`);
	return readFileSync(join(userFolder, '.n8n', found), 'utf8');
}

/** The versions to run: all that users run (N8N_VERSIONS), or those named in E2E_N8N_VERSIONS. */
const VERSIONS = process.env.E2E_N8N_VERSIONS ? process.env.E2E_N8N_VERSIONS.split(/[\s,]+/).filter(Boolean) : [...N8N_VERSIONS];

/** One build and one tarball for every suite: suites side by side must not build dist/ at once. */
const packDir = mkdtempSync(join(tmpdir(), 'feishu-e2e-pack-'));
let packing: ReturnType<typeof buildAndPack> | undefined;
const packOnce = async () => await (packing ??= buildAndPack(packDir));

/** Every check of one n8n version, in a user folder of its own. */
async function suite(version: string): Promise<void> {
	const started = Date.now();
	const failedBefore = suiteFailures();
	const failed = () => suiteFailures() > failedBefore;
	const n8n = async (userFolder: string, args: string[]) => await n8nOf(version, userFolder, args);
	/** `n8n execute --id --rawOutput`, the run parsed; fails unless n8n exits 0. */
	const execute = async (userFolder: string, workflowId: string): Promise<RunOutput> => {
		const result = await n8n(userFolder, ['execute', `--id=${workflowId}`, '--rawOutput']);
		if (result.code !== 0 && !crashedOnExit(result)) throw commandFailure(`n8n execute --id=${workflowId}`, result);
		const run = parseJsonOutput(result.stdout) as RunOutput & { finished?: boolean };
		if (crashedOnExit(result)) {
			assert(run.finished === true, `n8n execute --id=${workflowId} crashed (SIGSEGV) before the run finished`);
			exitCrashes++;
		}
		return run;
	};
	/** `n8n execute` runs that finished, printed their run, then died of SIGSEGV (crashedOnExit). */
	let exitCrashes = 0;
	const work = mkdtempSync(join(tmpdir(), 'feishu-e2e-'));
	const userFolder = join(work, 'user');
	let sandbox: Sandbox | undefined;
	console.log(`\n# n8n@${version}`);
	try {

		let tarball = '';
		await check('npm run build && npm pack: the tarball holds the built nodes and nothing of test/', async () => {
			const packed = await packOnce();
			tarball = packed.tarball;
			// Every file package.json's "n8n" section lists: n8n refuses a package with one missing.
			const { n8n: listed } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
			for (const file of ['package.json', ...listed.credentials, ...listed.nodes]) {
				assert(packed.files.includes(file), `${file} is not in the tarball`);
			}
			const stray = packed.files.filter((f) => f.startsWith('test/') || f.startsWith('dist/test/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
			assert(!stray.length, `the tarball carries sources or tests: ${stray.join(', ')}`);
			return `${packed.files.length} files`;
		});
		if (failed()) return;

		await check('installed as n8n installs a community package: production dependencies only', async () => {
			const dir = await installLikeN8n(userFolder, tarball);
			assert(existsSync(join(dir, 'node_modules', 'undici', 'package.json')), 'undici (the runtime dependency) was not installed beside the package');
			const devOnly = ['n8n-workflow', 'n8n-core', 'jest', 'typescript'].filter((name) => existsSync(join(dir, 'node_modules', name)));
			assert(!devOnly.length, `dev or peer dependencies were installed: ${devOnly.join(', ')}`);
			return dir.replace(work, '<tmp>');
		});
		if (failed()) return;

		sandbox = await startSandbox();
		const demo: DemoData = await seedDemoData(sandbox);
		const sb = sandbox;

		await check('n8n import:credentials: plain feishuApi data pointed at the sandbox (n8n encrypts it on import)', async () => {
			const file = join(work, 'credentials.json');
			const data = (appSecret: string) => ({ region: 'custom', baseUrl: sb.baseUrl, appId: demo.appId, appSecret });
			writeFileSync(
				file,
				JSON.stringify([
					{ id: GOOD_CREDENTIAL, name: 'Feishu sandbox', type: 'feishuApi', data: data(demo.appSecret) },
					{ id: WRONG_CREDENTIAL, name: 'Feishu sandbox, wrong secret', type: 'feishuApi', data: data(WRONG_SECRET) },
				]),
			);
			const result = await n8n(userFolder, ['import:credentials', `--input=${file}`]);
			if (result.code !== 0) throw commandFailure('n8n import:credentials', result);
			rmSync(file);
			return 'feishuApi x2';
		});

		const workflowFiles = [
			join(ROOT, 'examples', 'sync-statuses-to-spreadsheet.json'),
			join(ROOT, 'examples', 'look-up-instance-statuses.json'),
			join(ROOT, 'examples', 'approval-loop.json'),
			...readdirSync(join(__dirname, 'workflows')).map((f) => join(__dirname, 'workflows', f)),
		];
		// The polling trigger's example: it must at least import (a manual CLI run cannot poll).
		// The Form Trigger example waits for a form submission: it imports, and the engine tests run its Feishu node.
		workflowFiles.push(join(ROOT, 'examples', 'purchase-request-form-to-approval.json'));
		const triggerExample = join(ROOT, 'examples', 'rejected-follow-up.json');
		if (existsSync(triggerExample)) workflowFiles.push(triggerExample);
		else console.log('note  examples/rejected-follow-up.json does not exist yet: its import check is not run');

		// One import of all files (each n8n command costs ~10 s of start-up), then one check per file
		// that it is listed; a failed batch is retried file by file to name the culprit.
		const importDir = join(work, 'workflows');
		mkdirSync(importDir);
		for (const file of workflowFiles) copyFileSync(file, join(importDir, basename(file)));
		const batch = await n8n(userFolder, ['import:workflow', '--separate', `--input=${importDir}`]);
		console.log(`      (n8n import:workflow --separate of ${workflowFiles.length} files: exit ${batch.code}, ${(batch.ms / 1000).toFixed(1)} s)`);
		const listed = batch.code === 0 ? (await n8n(userFolder, ['list:workflow'])).stdout.split('\n') : [];
		for (const file of workflowFiles) {
			await check(`n8n import:workflow ${file.replace(`${ROOT}/`, '')}`, async () => {
				const { id } = JSON.parse(readFileSync(file, 'utf8')) as { id?: string };
				if (batch.code !== 0) {
					const alone = await n8n(userFolder, ['import:workflow', `--input=${file}`]);
					if (alone.code !== 0) throw commandFailure('n8n import:workflow', alone);
					return 'imports alone';
				}
				assert(!id || listed.some((line) => line.trim().startsWith(`${id}|`)), `workflow ${id} is not listed after import:\n${listed.join('\n')}`);
				return id ? `listed as ${id}` : 'imported';
			});
		}

		const codes = demo.approvals.map((a) => a.code);

		await check('examples/sync-statuses-to-spreadsheet.json: every PENDING task as a row, then a CSV file', async () => {
			const expected = taskCount(await listAll(sb, demo, { approval_codes: codes, status: 'PENDING' }));
			sb.clearLog();
			const run = await execute(userFolder, 'feishuSyncSheet1');
			const rows = nodeItems(run, 'Pending approval tasks');
			assert(rows.length === expected, `expected ${expected} rows, got ${rows.length}`);
			for (const row of rows) {
				assert(row.json.task_status === 'PENDING', `a row has task_status ${String(row.json.task_status)}: ${JSON.stringify(row.json)}`);
				for (const field of ['instance_id', 'approval_code', 'instance_status', 'task_id', 'task_update_time_iso']) {
					assert(row.json[field], `a row has no ${field}: ${JSON.stringify(row.json)}`);
				}
			}
			const [file] = nodeItems(run, 'Tasks to CSV');
			const binary = file?.binary?.data;
			assert(binary?.fileName === 'feishu-approval-tasks.csv', `Convert to File gave ${JSON.stringify(file?.binary)}`);
			const csv = readBinary(userFolder, binary);
			const lines = csv.trim().split('\n');
			assert(lines.length === expected + 1, `the CSV has ${lines.length} lines, expected a header and ${expected} rows`);
			assert(lines[0].includes('task_status'), `CSV header: ${lines[0]}`);
			const lists = sb.listRequests();
			assert(lists.length > 0 && lists.every((r) => r.method === 'GET' && (r.body as { status?: string })?.status === 'PENDING'), 'the list requests did not carry the filter as a JSON body on a GET');
			return `${rows.length} rows, a CSV of ${lines.length} lines, ${lists.length} list request(s)`;
		});

		await check('examples/look-up-instance-statuses.json: ids from a Code node, one lookup request, rows paired to their item', async () => {
			const ids = demo.instanceIds.slice(0, 6);
			const expected = taskCount(await listAll(sb, demo, { instance_ids: ids }));
			sb.clearLog();
			const run = await execute(userFolder, 'feishuLookupIds1');
			const inputs = nodeItems(run, 'Instance ids from your system');
			assert(inputs.length === 6 && inputs.every((item, n) => item.json.instanceId === ids[n]), `the example's ids do not match the demo data: ${JSON.stringify(inputs.map((i) => i.json))}`);
			const rows = nodeItems(run, 'Task statuses');
			assert(rows.length === expected, `expected ${expected} rows, got ${rows.length}`);
			assert(rows.every((row) => typeof row.json.task_status === 'string' && row.json.task_status !== ''), 'a row has no task_status');
			assert(new Set(rows.map((row) => row.json.instance_id)).size === 6, 'not every instance id came back');
			assert(rows.every((row) => row.pairedItem !== undefined), 'a row is not paired with its input item');
			assert(sb.listRequests().length === 1, `6 ids should cost 1 request, not ${sb.listRequests().length}`);
			return `${rows.length} rows for 6 instances`;
		});

		await check('approvers mode: one approver\'s PENDING queue as instances', async () => {
			const expected = await listAll(sb, demo, { approval_codes: codes, user_ids: ['112321'], status: 'PENDING' });
			const items = nodeItems(await execute(userFolder, 'e2eApproverQueue'), 'Feishu Approval');
			assert(items.length === expected.length && expected.length > 0, `expected ${expected.length} instances, got ${items.length}`);
			const tasks = items.flatMap((item) => item.json.tasks as Array<{ status: string }>);
			assert(tasks.every((t) => t.status === 'PENDING'), 'a task is not PENDING');
			return `${items.length} instances`;
		});

		await check('Limit 7 with Page Size 3: exactly 7 instances, page tokens followed', async () => {
			sb.clearLog();
			const items = nodeItems(await execute(userFolder, 'e2eLimitPaging01'), 'Feishu Approval');
			assert(items.length === 7, `expected 7 instances, got ${items.length}`);
			const pages = sb.listRequests();
			assert(pages.length >= 3 && pages.slice(1).every((r) => r.query.page_token), `pages asked: ${JSON.stringify(pages.map((r) => r.query))}`);
			return `${pages.length} pages`;
		});

		await check('Create or Update Instance (Fields mode) syncs one instance with two tasks, and Get Many lists them', async () => {
			sb.clearLog();
			const run = await execute(userFolder, 'e2eCreateInstance');
			const [created] = nodeItems(run, 'Create or Update Instance');
			assert(created?.json.applied === true && created.json.instance_id === 'E2E-PR-1', `the sync answered ${JSON.stringify(created?.json)}`);
			const syncs = sb.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/approval/v4/external_instances');
			assert(syncs.length === 1 && syncs[0].status === 200, `sync requests: ${JSON.stringify(syncs.map((r) => [r.status, r.code]))}`);
			const body = syncs[0].body as { title?: string; update_time?: string; i18n_resources?: Array<{ texts: Array<{ key: string; value: string }> }> };
			assert(body.title === '@i18n@title' && body.i18n_resources?.[0].texts.some((t) => t.key === '@i18n@title' && t.value === '采购 3 monitors'), `the title did not become an i18n key with its text: ${JSON.stringify(body)}`);
			assert(body.update_time === String(Date.parse('2026-12-01T09:30:00+08:00')), `update_time ${body.update_time}`);
			const rows = nodeItems(run, 'Get Many');
			assert(rows.length === 2 && rows.every((row) => row.json.task_status === 'PENDING'), `Get Many rows: ${JSON.stringify(rows.map((r) => r.json))}`);
			return `applied, ${rows.length} task rows listed`;
		});

		await check('a wrong app secret fails the execution with Feishu\'s answer, and the secret is never printed', async () => {
			const result = await n8n(userFolder, ['execute', '--id=e2eWrongSecret01', '--rawOutput']);
			const output = `${result.stdout}\n${result.stderr}`;
			assert(result.code !== 0, 'n8n execute exited 0 for a failed run');
			assert(!output.includes(WRONG_SECRET), 'the app secret appears in n8n\'s output');
			assert(/app secret invalid \(code 10014\)/.test(output), `Feishu's answer (10014) is not in the output:\n${output.slice(-2000)}`);
			assert(!/"task_status"/.test(output), 'the failed run still produced rows');
			return `n8n exit ${result.code}`;
		});

		// The Docker recipes on the newest n8n, which `n8nio/n8n:latest` users pull.
		if (version === NEWEST_N8N) {
			await runDockerRecipes({
				version,
				work,
				tarball,
				credentials: [{ id: GOOD_CREDENTIAL, name: 'Feishu sandbox', type: 'feishuApi', data: { region: 'custom', baseUrl: sb.baseUrl, appId: demo.appId, appSecret: demo.appSecret } }],
				workflowFile: join(__dirname, 'workflows', 'approvers-queue.json'),
				workflowId: 'e2eApproverQueue',
				expected: (await listAll(sb, demo, { approval_codes: codes, user_ids: ['112321'], status: 'PENDING' })).length,
			});
		}

		await runTriggerScenario({ version, userFolder, work, sandbox: sb });
		await runWebhookScenario({ version, userFolder, work, sandbox: sb });
		await runAgentScenario({ version, userFolder, work, sandbox: sb, demo, secrets: [demo.appSecret, WRONG_SECRET] });
	} catch (error) {
		fail(`e2e setup in n8n@${version}`, error);
	} finally {
		await sandbox?.close();
		rmSync(work, { recursive: true, force: true });
		if (exitCrashes) console.log(`note  ${exitCrashes} n8n execute run(s) finished, then crashed on exit (SIGSEGV; isolated-vm, see crashedOnExit in n8nApp.ts)`);
		console.log(`${PACKAGE_NAME} in n8n@${version}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
}

async function main(): Promise<void> {
	// The installs first, side by side (mostly download and unpack); then the suites one at a time,
	// since the 3-second trigger scenario's timing wants the machine's cores, except those that poll
	// once a minute (n8n 2.41): they mostly wait for the clock, so they run beside the others, which
	// keeps CI well under its 90 minutes. Side by side, each line names its version.
	const installs = await Promise.all(
		VERSIONS.map(async (version) => await check(`n8n@${version} installed`, async () => {
			const { cached, ms, dir } = await ensureN8n(version);
			return cached ? `cached in ${dir}, install skipped` : `installed in ${(ms / 1000).toFixed(0)} s into ${dir}`;
		})),
	);
	const ready = VERSIONS.filter((_, n) => installs[n]);
	const minute = ready.filter((version) => n8nTarget(version).pollSeconds >= 60);
	const groups = [minute, ready.filter((version) => !minute.includes(version))].filter((group) => group.length);
	await Promise.all(
		groups.map(async (group) => {
			for (const version of group) await (groups.length > 1 ? inSuite(version, async () => await suite(version)) : suite(version));
		}),
	);
	rmSync(packDir, { recursive: true, force: true });
}

main().then(
	() => {
		const { passed, failed } = results();
		console.log(`\n${passed} passed, ${failed} failed`);
		process.exit(failed ? 1 : 0);
	},
	(error: Error) => {
		console.error(error);
		const { passed, failed } = results();
		console.log(`${passed} passed, ${failed + 1} failed`);
		process.exit(1);
	},
);
