import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { DemoData, Sandbox } from '../sandbox';
import { assert, check, waitFor } from './checks';
import type { ChatRequest, ModelStandIn } from './modelStandIn';
import { startModelStandIn, textOf } from './modelStandIn';
import { activateWorkflow, n8n, n8nDir, parseJsonOutput, ROOT } from './n8nApp';
import type { N8nServer } from './n8nServer';
import { startN8n } from './n8nServer';
import { listAll, taskCount } from './oracle';

// The node's tool form in the real app, as users wire it:
// - examples/ai-agent-approvals.json: AI Agent (3) + OpenAI Chat Model (1.2, Chat Completions)
//   + Feishu Approval Tool, run by `n8n execute`; the model is a scripted stand-in on 127.0.0.1
//   whose first answer is a tool call and whose second is the final text.
// - examples/mcp-server-approvals.json: MCP Server Trigger (2, bearer auth) + two Feishu Approval
//   tools, published and served by `n8n start`; a client on the official MCP TypeScript SDK (the
//   copy n8n itself ships, so client and server speak the same protocol version) lists and calls them.

const AGENT_WORKFLOW = 'feishuAiAgent001';
const MCP_WORKFLOW = 'feishuMcpServer01';
const OPENAI_CREDENTIAL = 'openAiStandIn001';
const BEARER_CREDENTIAL = 'mcpBearerToken01';
const OPENAI_KEY = `sk-standin-${Math.random().toString(36).slice(2)}`;
const MCP_TOKEN = `mcp-e2e-token-${Math.random().toString(36).slice(2)}`;
const ROW_BUDGET = 200;
const FINAL_TEXT = 'User 112321 has approvals waiting; see the rows above.';
const TENANT_TOKEN = /t-[0-9a-f]{32}/;

export interface AgentScenario {
	version: string;
	userFolder: string;
	work: string;
	sandbox: Sandbox;
	demo: DemoData;
	/** The app secret of the imported feishuApi credential (must never reach a model). */
	secrets: string[];
}

interface RunOutput {
	data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>>; error?: { message: string } } };
}

/** The tool message n8n sent back to the model in a request, parsed. */
function toolAnswer(request: ChatRequest): unknown {
	const message = request.messages.find((m) => m.role === 'tool');
	assert(message, `the model got no tool message: ${JSON.stringify(request.messages.map((m) => m.role))}`);
	const text = textOf(message);
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** The first tool call, then the final text once a tool answer is in the conversation. */
function scripted(args: Record<string, unknown>, finalText: (request: ChatRequest) => string) {
	return (request: ChatRequest) => {
		if (request.messages.some((m) => m.role === 'tool')) return { text: finalText(request) };
		const tool = request.tools?.[0]?.function.name;
		assert(tool, 'n8n offered the model no tool');
		return { toolCall: { name: tool, arguments: args } };
	};
}

/** The official MCP SDK from n8n's own install (n8n depends on it): Client and Streamable HTTP transport. */
function mcpSdk(version: string): {
	Client: new (info: { name: string; version: string }) => {
		connect: (transport: unknown) => Promise<void>;
		listTools: () => Promise<{ tools: Array<{ name: string; description?: string; inputSchema: { properties?: Record<string, unknown> } }> }>;
		callTool: (params: { name: string; arguments: Record<string, unknown> }) => Promise<{ content: Array<{ type: string; text?: string }>; isError?: boolean }>;
		close: () => Promise<void>;
	};
	StreamableHTTPClientTransport: new (url: URL, options: { requestInit: { headers: Record<string, string> } }) => unknown;
	sdkVersion: string;
} {
	const paths = [join(n8nDir(version), 'node_modules', 'n8n'), n8nDir(version)];
	const resolve = (id: string) => require.resolve(id, { paths });
	const { Client } = require(resolve('@modelcontextprotocol/sdk/client/index.js'));
	const { StreamableHTTPClientTransport } = require(resolve('@modelcontextprotocol/sdk/client/streamableHttp.js'));
	// The package's own package.json (its exports map the subpath to dist/cjs's stub).
	let dir = dirname(resolve('@modelcontextprotocol/sdk/client/index.js'));
	while (!existsSync(join(dir, 'package.json')) || (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== '@modelcontextprotocol/sdk') dir = dirname(dir);
	return { Client, StreamableHTTPClientTransport, sdkVersion: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version };
}

export async function runAgentScenario({ version, userFolder, work, sandbox, demo, secrets }: AgentScenario): Promise<void> {
	let model: ModelStandIn | undefined;
	let server: N8nServer | undefined;
	const allSecrets = [...secrets, OPENAI_KEY, MCP_TOKEN];
	try {
		model = await startModelStandIn();
		const standIn = model;
		const ready = await check(`AI agent in n8n@${version}: the OpenAI and bearer credentials and both AI examples import`, async () => {
			const credentials = join(work, 'ai-credentials.json');
			writeFileSync(
				credentials,
				JSON.stringify([
					{ id: OPENAI_CREDENTIAL, name: 'OpenAI account', type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: standIn.baseUrl, header: false } },
					{ id: BEARER_CREDENTIAL, name: 'MCP bearer token', type: 'httpBearerAuth', data: { token: MCP_TOKEN } },
				]),
			);
			// Both examples in one import (each n8n command costs ~15 s of start-up).
			const workflows = join(work, 'ai-workflows.json');
			writeFileSync(workflows, JSON.stringify(['ai-agent-approvals.json', 'mcp-server-approvals.json'].map((f) => JSON.parse(readFileSync(join(ROOT, 'examples', f), 'utf8')) as unknown)));
			for (const args of [
				['import:credentials', `--input=${credentials}`],
				['import:workflow', `--input=${workflows}`],
			]) {
				const result = await n8n(version, userFolder, args);
				assert(result.code === 0, `n8n ${args.join(' ')} exited ${result.code}:\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`);
			}
			return 'openAiApi (Base URL: the stand-in), httpBearerAuth; 2 workflows';
		});
		if (!ready) return;

		const execute = async (): Promise<{ run: RunOutput; output: string }> => {
			const result = await n8n(version, userFolder, ['execute', `--id=${AGENT_WORKFLOW}`, '--rawOutput']);
			assert(result.code === 0, `n8n execute exited ${result.code}:\n${result.stdout.slice(-2500)}${result.stderr.slice(-1500)}`);
			const run = parseJsonOutput(result.stdout) as RunOutput;
			assert(!run.data.resultData.error, `the execution failed: ${run.data.resultData.error?.message}`);
			const agent = run.data.resultData.runData['AI Agent']?.at(-1)?.data?.main?.[0]?.[0]?.json;
			assert(agent && typeof agent.output === 'string', `the AI Agent gave no output: ${JSON.stringify(agent)}`);
			return { run, output: agent.output };
		};

		await check(`AI agent in n8n@${version}: examples/ai-agent-approvals.json asks the sandbox through the tool and answers from its rows`, async () => {
			const expected = taskCount(await listAll(sandbox, demo, { approval_codes: demo.approvals.map((a) => a.code), user_ids: ['112321'], status: 'PENDING' }));
			assert(expected > 0, 'the demo data has no PENDING task of 112321');
			standIn.requests.length = 0;
			standIn.setScript(scripted({ user_ids: '112321', status: 'PENDING' }, () => FINAL_TEXT));
			sandbox.clearLog();
			const { output } = await execute();
			assert(output === FINAL_TEXT, `the agent answered ${JSON.stringify(output)}`);
			assert(standIn.requests.length === 2, `${standIn.requests.length} model requests, expected 2 (tool call, final text)`);

			const [first, second] = standIn.requests;
			const offered = first.body.tools?.[0]?.function;
			assert(offered?.name === 'Approval_tasks_of_approvers', `the tool is offered as ${offered?.name}`);
			assert(/user_id \(e\.g\. 5d9bdxxx\).*PENDING, APPROVED, REJECTED, TRANSFERRED or DONE/.test(offered.description ?? ''), `the tool description: ${offered.description}`);
			const keys = Object.keys(offered.parameters?.properties ?? {}).sort();
			assert(JSON.stringify(keys) === JSON.stringify(['max_rows', 'status', 'user_ids']), `the tool's $fromAI keys: ${keys.join(', ')}`);

			const lists = sandbox.listRequests();
			assert(lists.length >= 1, 'no list request reached the sandbox');
			const body = lists[0].body as { user_ids?: string[]; status?: string; approval_codes?: string[] };
			assert(JSON.stringify(body.user_ids) === '["112321"]' && body.status === 'PENDING' && body.approval_codes?.length === 4, `the sandbox got ${JSON.stringify(body)}`);

			const answer = toolAnswer(second.body) as Array<{ rows: Array<Record<string, unknown>>; more_rows: boolean }>;
			assert(Array.isArray(answer) && answer.length === 1 && Array.isArray(answer[0].rows), `the tool answer: ${JSON.stringify(answer).slice(0, 500)}`);
			const { rows, more_rows: more } = answer[0];
			assert(rows.length === Math.min(expected, 20) && more === expected > 20, `${rows.length} rows (more_rows ${more}) for ${expected} PENDING tasks`);
			const sizes = rows.map((row) => Buffer.byteLength(JSON.stringify(row)));
			assert(Math.max(...sizes) <= ROW_BUDGET, `a row costs ${Math.max(...sizes)} bytes: ${JSON.stringify(rows[sizes.indexOf(Math.max(...sizes))])}`);
			assert(rows.every((row) => row.task_status === 'PENDING' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(row.updated))), 'a row is not PENDING or has no ISO time');
			return `${rows.length} rows, at most ${Math.max(...sizes)} bytes each; answer "${output}"`;
		});

		await check(`AI agent in n8n@${version}: a bad status comes back to the model as a tool error, and the agent still finishes`, async () => {
			standIn.requests.length = 0;
			let seen = '';
			standIn.setScript(
				scripted({ user_ids: '112321', status: 'NOPE' }, (request) => {
					seen = JSON.stringify(toolAnswer(request));
					return 'The approval tool refused the status NOPE.';
				}),
			);
			sandbox.clearLog();
			const { output } = await execute();
			assert(output === 'The approval tool refused the status NOPE.', `the agent answered ${JSON.stringify(output)}`);
			assert(/NOPE.{0,2} is not one of PENDING, APPROVED, REJECTED, TRANSFERRED, DONE/.test(seen), `the model saw: ${seen}`);
			assert(sandbox.listRequests().length === 0, 'a bad status still sent a request');
			return `the model saw ${seen}`;
		});

		await check(`AI agent in n8n@${version}: no secret reaches the model (app secret, tenant token, OpenAI key in a body, MCP token)`, async () => {
			assert(standIn.requests.length > 0, 'no model request recorded');
			for (const { text } of standIn.requests) {
				for (const secret of allSecrets) assert(!text.includes(secret), `a secret (${secret.slice(0, 4)}…) reached the model`);
				assert(!TENANT_TOKEN.test(text), 'a tenant access token reached the model');
			}
			return `${standIn.requests.length} requests checked`;
		});

		// The MCP Server Trigger: production URL of a published workflow, served by `n8n start`.
		const served = await check(`MCP in n8n@${version}: examples/mcp-server-approvals.json published, n8n start serves /mcp/feishu-approvals`, async () => {
			const activated = await activateWorkflow(version, userFolder, MCP_WORKFLOW);
			assert(activated.code === 0, `activating ${MCP_WORKFLOW} exited ${activated.code}:\n${activated.stdout.slice(-1500)}${activated.stderr.slice(-1500)}`);
			server = await startN8n(version, userFolder);
			const started = server;
			await waitFor(() => /Editor is now accessible via/.test(started.log()), 120_000, () => 'n8n never said the editor is accessible');
			// Newer n8n (2.41) activates published workflows after start-up: wait until the route
			// exists (an unauthenticated GET then gets 403, not 404), by HTTP rather than log text.
			const mcpUrl = `${started.url}/mcp/feishu-approvals`;
			let status = 0;
			await waitFor(async () => (status = (await fetch(mcpUrl)).status) !== 404, 120_000, () => `${mcpUrl} still answers ${status}`);
			return `${mcpUrl} (unauthenticated GET: ${status})`;
		});
		if (!served || !server) return;
		const url = new URL(`${server.url}/mcp/feishu-approvals`);
		const sdk = mcpSdk(version);

		await check(`MCP in n8n@${version}: an MCP SDK client lists both tools and calls them; a bad status and a missing scope come back as text`, async () => {
			const client = new sdk.Client({ name: 'feishu-approval-e2e', version: '1.0.0' });
			await client.connect(new sdk.StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${MCP_TOKEN}` } } }));
			try {
				const { tools } = await client.listTools();
				const names = tools.map((t) => t.name).sort();
				assert(JSON.stringify(names) === '["Approval_statuses_by_instance_ID","Approval_tasks_in_one_status"]', `tools listed: ${names.join(', ')}`);
				const byStatus = tools.find((t) => t.name === 'Approval_tasks_in_one_status')!;
				assert(/PENDING, APPROVED, REJECTED, TRANSFERRED or DONE/.test(byStatus.description ?? ''), `description: ${byStatus.description}`);

				const expected = taskCount(await listAll(sandbox, demo, { approval_codes: demo.approvals.map((a) => a.code), status: 'REJECTED' }));
				sandbox.clearLog();
				const result = await client.callTool({ name: 'Approval_tasks_in_one_status', arguments: { status: 'REJECTED', max_rows: 5 } });
				const text = result.content.map((c) => c.text ?? '').join('');
				for (const secret of allSecrets) assert(!text.includes(secret), 'a secret reached the MCP client');
				const parsed = JSON.parse(text) as unknown;
				const answer = (Array.isArray(parsed) ? parsed[0] : parsed) as { rows: Array<Record<string, unknown>>; more_rows: boolean };
				assert(answer.rows?.length === Math.min(5, expected) && answer.more_rows === expected > 5, `the call answered ${text.slice(0, 400)}`);
				assert(answer.rows.every((row) => row.task_status === 'REJECTED' && Buffer.byteLength(JSON.stringify(row)) <= ROW_BUDGET), 'a row is not REJECTED or over budget');
				assert((sandbox.listRequests()[0]?.body as { status?: string })?.status === 'REJECTED', 'the query did not reach the sandbox');

				const ids = demo.instanceIds.slice(0, 2);
				const lookup = await client.callTool({ name: 'Approval_statuses_by_instance_ID', arguments: { instance_ids: ids.join(', ') } });
				const lookupText = lookup.content.map((c) => c.text ?? '').join('');
				assert(ids.every((id) => lookupText.includes(id)), `the lookup answered ${lookupText.slice(0, 400)}`);

				const bad = await client.callTool({ name: 'Approval_tasks_in_one_status', arguments: { status: 'NOPE' } });
				const badText = bad.content.map((c) => c.text ?? '').join('');
				assert(/NOPE.{0,2} is not one of/.test(badText), `a bad status answered ${badText.slice(0, 400)}`);

				// Feishu refuses for a missing scope: the client reads which scope to grant.
				sandbox.injectFault({ type: 'permission' }, 1);
				const denied = await client.callTool({ name: 'Approval_tasks_in_one_status', arguments: { status: 'PENDING' } });
				const deniedText = denied.content.map((c) => c.text ?? '').join('');
				assert(/code 99991672/.test(deniedText) && /Missing scopes \(grant any one\): approval:external_task/.test(deniedText), `a missing scope answered ${deniedText.slice(0, 400)}`);
				for (const secret of allSecrets) assert(!deniedText.includes(secret), 'a secret reached the MCP client');
				return `SDK ${sdk.sdkVersion}: 2 tools; ${answer.rows.length} REJECTED rows (more_rows ${answer.more_rows}); lookup of 2 ids; bad status and missing scope as text`;
			} finally {
				await client.close();
			}
		});

		await check(`MCP in n8n@${version}: a wrong bearer token is refused and gets no tool`, async () => {
			const client = new sdk.Client({ name: 'feishu-approval-e2e-wrong', version: '1.0.0' });
			let refused = '';
			try {
				await client.connect(new sdk.StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${MCP_TOKEN}-wrong` } } }));
				const { tools } = await client.listTools();
				refused = `listed ${tools.length} tools`;
			} catch (error) {
				refused = '';
				// n8n answers 403 "Authorization data is wrong!"; the SDK's message carries the text.
				assert(/40[13]|Authorization data is wrong/.test(String((error as Error).message)), `the connect failed otherwise: ${(error as Error).message}`);
			} finally {
				await client.close().catch(() => undefined);
			}
			assert(!refused, `a wrong token got through: ${refused}`);
			const raw = await fetch(url, {
				method: 'POST',
				headers: { authorization: `Bearer ${MCP_TOKEN}-wrong`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
				body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
			});
			const body = await raw.text();
			assert(raw.status === 401 || raw.status === 403, `a raw tools/list with a wrong token got ${raw.status} ${body.slice(0, 200)}`);
			assert(!body.includes('Approval_'), 'the refusal names a tool');
			return `HTTP ${raw.status} "${body.slice(0, 60)}"`;
		});
	} finally {
		await server?.stop();
		await model?.close();
	}
}
