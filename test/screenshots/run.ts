// `npm run screenshots`: the packed package in the real n8n app (`n8n start`), its editor in
// headless Chromium, and PNGs of the node's panels in docs/. Stops n8n, the sandbox and the
// browser at the end, whatever happened; exits 1 if any picture is missing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';

import type { Sandbox } from '../sandbox';
import { seedDemoData, startSandbox } from '../sandbox';
import { DEFAULT_N8N_VERSION, ensureN8n, ROOT } from '../e2e/n8nApp';
import type { N8nServer } from '../e2e/n8nServer';
import { startN8n } from '../e2e/n8nServer';
import { Editor, launchBrowser } from './editor';
import { setUpOwner } from './n8nServer';
import { prepareUserFolder } from './prepare';
import { ACTION_WORKFLOW, EXAMPLE_LOOP, LOOP_WORKFLOW, TRIGGER_WORKFLOW } from './workflows';

const DOCS = join(ROOT, 'docs');
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const step = (what: string) => console.log(`[${seconds()}] ${what}`);
const saved: string[] = [];
const failures: string[] = [];

// SHOTS=definition,instance takes only the pictures whose file names start so.
const only = process.env.SHOTS?.split(',').filter(Boolean);

/** One picture; a failure is reported and the next picture still taken. */
async function shot(editor: Editor, file: string, body: () => Promise<void>): Promise<void> {
	if (only && !only.some((prefix) => file.startsWith(prefix))) return;
	try {
		await body();
		const path = join(DOCS, file);
		await editor.screenshot(path);
		saved.push(file);
		step(`docs/${file} (${Math.round(statSync(path).size / 1024)} KB)`);
	} catch (error) {
		failures.push(file);
		const failedShot = join(tmpdir(), `failed-${file}`);
		step(`FAILED docs/${file}: ${(error as Error).message.split('\n')[0]} (what the page showed: ${failedShot})`);
		await editor.screenshot(failedShot).catch(() => undefined);
	}
}

function warnWithoutCjkFont(): void {
	// The option names carry Chinese (审批中); without a CJK font Chromium draws empty boxes.
	try {
		if (!execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim()) {
			console.log('warning: no Chinese font installed, 审批中 will show as boxes (apt-get install fonts-wqy-microhei)');
		}
	} catch {
		// No fontconfig: nothing to tell.
	}
}

async function takeScreenshots(editor: Editor, demo: { userIds: string[]; instanceIds: string[] }): Promise<void> {
	const openAction = async () => {
		await editor.openWorkflow(ACTION_WORKFLOW.id);
		await editor.openNode(ACTION_WORKFLOW.node);
	};
	// n8n saves the workflow as it is edited, so every picture sets the mode it shows.
	await shot(editor, 'get-many-status.png', async () => {
		await openAction();
		await editor.selectOption('queryBy', 'Status');
	});
	await shot(editor, 'get-many-approvers.png', async () => {
		await openAction();
		await editor.selectOption('queryBy', 'Approvers');
		await editor.fill('userIds', demo.userIds.slice(-2).join(', '));
	});
	await shot(editor, 'get-many-instance-ids.png', async () => {
		await openAction();
		await editor.selectOption('queryBy', 'Instance IDs');
		await editor.fill('instanceIds', demo.instanceIds.slice(0, 3).join(', '));
	});
	await shot(editor, 'credential.png', async () => {
		await openAction();
		await editor.openCredential();
	});
	await shot(editor, 'trigger.png', async () => {
		await editor.openWorkflow(TRIGGER_WORKFLOW.id);
		await editor.openNode(TRIGGER_WORKFLOW.node);
		await editor.executeNode();
		// Options → Poll Deadline in view, down to the panel's end.
		await editor.scrollParameters();
	});
	// examples/approval-loop.json as imported: the canvas, the Action Trigger, its credential and
	// Respond to Feishu.
	await shot(editor, 'approval-loop.png', async () => {
		await editor.openWorkflow(EXAMPLE_LOOP.id);
		// A taller window, fitted and one step out: the Execute workflow button at the bottom
		// covers no node.
		await editor.resize(1440, 1000);
		await editor.zoomToFit();
		await editor.zoomOut();
	});
	await shot(editor, 'action-trigger.png', async () => {
		await editor.openWorkflow(EXAMPLE_LOOP.id);
		await editor.openNode(EXAMPLE_LOOP.actionTrigger);
		await editor.showProductionWebhookUrl();
	});
	await shot(editor, 'callback-credential.png', async () => {
		await editor.openWorkflow(EXAMPLE_LOOP.id);
		await editor.openNode(EXAMPLE_LOOP.actionTrigger);
		await editor.openCredential();
	});
	await shot(editor, 'respond-to-feishu.png', async () => {
		await editor.openWorkflow(EXAMPLE_LOOP.id);
		await editor.openNode(EXAMPLE_LOOP.respond);
	});
	// The definition and instance operations, each run so the picture shows what it returns.
	// As JSON: the answers are nested (masked callback secrets, applied, stale tasks).
	const loopShot = async (file: string, node: string, then?: () => Promise<void>) =>
		await shot(editor, file, async () => {
			await editor.openWorkflow(LOOP_WORKFLOW.id);
			await editor.openNode(node);
			await editor.executeNode();
			await editor.showOutputAs('JSON');
			await then?.();
		});
	// Down to the Action Callback URL and what follows it; the credentials stay in view.
	await loopShot('definition-upsert.png', LOOP_WORKFLOW.definition, async () => await editor.scrollParameters(160));
	await loopShot('definition-get.png', LOOP_WORKFLOW.get);
	await loopShot('instance-upsert.png', LOOP_WORKFLOW.instance);
	await loopShot('instance-check.png', LOOP_WORKFLOW.check);
	// Last: a wider output panel sticks for later panels. A wider window too, so the table shows
	// the task columns; the tasks output puts them after the instance's.
	await shot(editor, 'get-many-output.png', async () => {
		await openAction();
		await editor.resize(1920, 1000);
		await editor.selectOption('queryBy', 'Instance IDs');
		await editor.fill('instanceIds', demo.instanceIds.slice(0, 3).join(', '));
		await editor.widenOutput(560);
		await editor.executeNode();
		// The panel keeps the last display mode chosen (JSON, above): the table is the point here.
		await editor.showOutputAs('Table');
	});
}

async function main(): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'feishu-screenshots-'));
	let sandbox: Sandbox | undefined;
	let server: N8nServer | undefined;
	let browser: Browser | undefined;
	try {
		warnWithoutCjkFont();
		const n8nInstall = await ensureN8n(DEFAULT_N8N_VERSION);
		step(`n8n@${DEFAULT_N8N_VERSION} ${n8nInstall.cached ? `already in ${n8nInstall.dir}` : 'installed'}`);
		sandbox = await startSandbox();
		const demo = await seedDemoData(sandbox);
		const userFolder = await prepareUserFolder(work, sandbox.baseUrl, demo);
		step('package built, packed and installed as a community node; credential and workflows imported');
		// WEBHOOK_URL: the public address the Action Trigger's Production URL shows, as behind a proxy.
		server = await startN8n(DEFAULT_N8N_VERSION, userFolder, { env: { N8N_LOG_LEVEL: 'warn', WEBHOOK_URL: 'https://n8n.example.com/' } });
		await setUpOwner(server.url);
		step(`n8n start answers on ${server.url}, owner set up`);
		browser = await launchBrowser();
		const editor = await Editor.signIn(browser, server.url);
		step('signed in to the editor');
		mkdirSync(DOCS, { recursive: true });
		await takeScreenshots(editor, demo);
	} catch (error) {
		failures.push('setup');
		step(`FAILED: ${(error as Error).stack ?? error}`);
		if (server) console.log(`--- n8n's output\n${server.log().slice(-3000)}`);
	} finally {
		await browser?.close().catch(() => undefined);
		await server?.stop();
		await sandbox?.close();
		rmSync(work, { recursive: true, force: true });
		step(`${saved.length} screenshots in docs/${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
	}
}

main().then(
	() => process.exit(failures.length ? 1 : 0),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
