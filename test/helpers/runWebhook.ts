import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteResponsePromiseData,
	IN8nHttpFullResponse,
	INode,
	INodeParameters,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowBase,
} from 'n8n-workflow';
import { createDeferredPromise, Workflow } from 'n8n-workflow';

import { CredentialsHelper, nodeTypes, testAdditionalData } from './runWorkflow';

// n8n's webhook handling in miniature, around n8n-core's own WebhookContext and WorkflowExecute:
// a real HTTP server that reads the body as n8n does (raw bytes kept, JSON parsed, 422 when it
// cannot be), calls the trigger's webhook(), and answers as n8n 2.8.4's executeWebhook does
// (packages/cli webhook-helpers): nothing more when the node answered itself
// (noWebhookResponse without workflow data); else an execution, answered at once (onReceived),
// with the last node's first item (lastNode), or by a node's sendResponse (responseNode); a
// webhook() that throws gets 500 and an error execution.

export const ACTION_TRIGGER = 'Feishu Approval Action Trigger';
export const RESPOND_NODE = 'Respond to Feishu';
const TRIGGER_TYPE = 'n8n-nodes-feishu-approval.feishuApprovalActionTrigger';

export interface CallbackCredentialData extends ICredentialDataDecryptedObject {
	callbackToken: string;
	encryptKey: string;
}

export interface WebhookHarnessOptions {
	/** The trigger's parameters (responseMode). */
	parameters?: INodeParameters;
	credential: CallbackCredentialData;
	/** A Feishu Approval node after the trigger, named RESPOND_NODE (e.g. Action Callback → Respond to Feishu). */
	respond?: INodeParameters;
}

export interface WebhookHarness {
	/** The webhook's URL: POST callbacks here. */
	url: string;
	/** Every execution started, finished (a refused callback starts none). */
	executions: IRun[];
	/** Warnings n8n's logger received while the harness ran. */
	warnings: string[];
	/** Output items of a node in the execution n (default: the last). */
	output: (node: string, n?: number) => IDataObject[];
	close: () => Promise<void>;
}

type RawRequest = IncomingMessage & { rawBody?: Buffer; body?: unknown; contentType?: string };

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	if (res.headersSent) return;
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

let harnesses = 0;

export async function startWebhook(options: WebhookHarnessOptions): Promise<WebhookHarness> {
	const workflowId = `test-action-${++harnesses}`;
	const executions: IRun[] = [];
	const warnings: string[] = [];
	const logger = Container.get(Logger);
	const originalWarn = logger.warn;
	logger.warn = (message: string, meta?: object) => void warnings.push(`${message} ${JSON.stringify(meta ?? {})}`);

	const trigger: INode = {
		id: 'action-trigger',
		name: ACTION_TRIGGER,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'e2a5c7f0-0000-4000-8000-00000000a001',
		parameters: { ...options.parameters },
		credentials: { feishuApprovalCallbackApi: { id: 'callback', name: 'callback' } },
	};
	const nodes: INode[] = [trigger];
	const connections: IWorkflowBase['connections'] = {};
	if (options.respond) {
		nodes.push({
			id: 'respond',
			name: RESPOND_NODE,
			type: 'n8n-nodes-feishu-approval.feishuApproval',
			typeVersion: 1,
			position: [240, 0],
			parameters: options.respond,
		});
		connections[ACTION_TRIGGER] = { main: [[{ node: RESPOND_NODE, type: 'main', index: 0 }]] };
	}
	const credentialsHelper = new CredentialsHelper({ callback: options.credential });
	const nodeType = nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1);
	const description = nodeType.description.webhooks![0] as IWebhookDescription;

	async function handle(req: RawRequest, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		req.rawBody = Buffer.concat(chunks);
		req.contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
		if (req.contentType === 'application/json') {
			try {
				req.body = req.rawBody.length ? JSON.parse(req.rawBody.toString('utf8')) : {};
			} catch {
				return answer(res, 422, { message: 'Failed to parse request body' });
			}
		} else {
			req.body = req.rawBody.toString('utf8');
		}

		// A fresh workflow per request, as n8n builds one per webhook call.
		const workflow = new Workflow({ id: workflowId, nodes: structuredClone(nodes), connections, nodeTypes, active: true, settings: {} });
		const startNode = workflow.getNode(ACTION_TRIGGER)!;
		const additionalData = testAdditionalData(credentialsHelper);
		additionalData.httpRequest = req as unknown as typeof additionalData.httpRequest;
		additionalData.httpResponse = res as unknown as typeof additionalData.httpResponse;
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: ACTION_TRIGGER,
			path: `${trigger.webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: trigger.webhookId,
		};
		const responseMode = workflow.expression.getSimpleParameterValue(startNode, description.responseMode as string, 'webhook', {}, undefined, 'onReceived');

		let result: IWebhookResponseData;
		let startError: Error | undefined;
		try {
			const context = new WebhookContext(workflow, startNode, additionalData, 'webhook', webhookData, [], null);
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			startError = error as Error;
			answer(res, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
			result = { workflowData: [[{ json: {} }]] };
		}
		if (result.workflowData === undefined) {
			if (!result.noWebhookResponse) answer(res, 200, { message: 'Webhook call received' });
			return;
		}
		if (responseMode === 'onReceived') answer(res, 200, { message: 'Workflow was started' });

		const workflowData = { id: workflowId, name: workflowId, nodes, connections } as unknown as IWorkflowBase;
		const hooks = new ExecutionLifecycleHooks('webhook', `execution-${executions.length + 1}`, workflowData);
		const done = createDeferredPromise<IRun>();
		hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));
		hooks.addHandler('sendResponse', (response: IExecuteResponsePromiseData) => {
			if (responseMode !== 'responseNode') return;
			const full = response as IN8nHttpFullResponse;
			answer(res, full.statusCode ?? 200, full.body ?? '', (full.headers ?? {}) as Record<string, string>);
		});
		additionalData.hooks = hooks;
		const runExecutionData = {
			resultData: { runData: {}, ...(startError ? { error: { message: startError.message }, lastNodeExecuted: ACTION_TRIGGER } : {}) },
			executionData: {
				metadata: {},
				contextData: {},
				waitingExecution: {},
				waitingExecutionSource: null,
				nodeExecutionStack: startError ? [] : [{ node: startNode, data: { main: result.workflowData }, source: null }],
			},
		} as unknown as IRunExecutionData;
		if (startError) {
			executions.push({ data: runExecutionData, status: 'error', mode: 'webhook', startedAt: new Date() } as IRun);
			return;
		}
		await new WorkflowExecute(additionalData, 'webhook', runExecutionData).processRunExecutionData(workflow);
		const run = await done.promise;
		executions.push(run);
		if (run.data.resultData.error) return answer(res, 500, { message: 'Error in workflow' });
		if (responseMode === 'lastNode') {
			const last = run.data.resultData.lastNodeExecuted ?? ACTION_TRIGGER;
			return answer(res, 200, run.data.resultData.runData[last]?.[0]?.data?.main?.[0]?.[0]?.json ?? {});
		}
		// responseNode without an answer: n8n keeps Feishu waiting until it gives up; so does this.
	}

	const server: Server = createServer((req, res) => {
		handle(req as RawRequest, res).catch((error: Error) => answer(res, 500, { message: `harness error: ${error.message}` }));
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/${trigger.webhookId}/${description.path}`,
		executions,
		warnings,
		output: (node, n = executions.length - 1) =>
			(executions[n]?.data.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json),
		close: async () => {
			logger.warn = originalWarn;
			server.closeAllConnections();
			await new Promise<void>((closed) => server.close(() => closed()));
		},
	};
}
