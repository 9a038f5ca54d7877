import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	IDataObject,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createDeferredPromise, NodeHelpers, Workflow } from 'n8n-workflow';

import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import { FeishuApprovalActionTrigger } from '../../nodes/FeishuApproval/FeishuApprovalActionTrigger.node';
import { FeishuApprovalTrigger } from '../../nodes/FeishuApproval/FeishuApprovalTrigger.node';

/** A start node that emits the items given in its `items` parameter (a JSON array). */
class ItemsSource implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const types: Record<string, INodeType> = {
	'test.items': new ItemsSource(),
	'n8n-nodes-feishu-approval.feishuApproval': new FeishuApproval(),
	'n8n-nodes-feishu-approval.feishuApprovalTrigger': new FeishuApprovalTrigger(),
	'n8n-nodes-feishu-approval.feishuApprovalActionTrigger': new FeishuApprovalActionTrigger(),
};

export const nodeTypes: INodeTypes = {
	getByName: (type) => types[type],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
	getKnownTypes: () => ({}),
};

/** Returns the test credential of each id; n8n's real helper decrypts from its database instead. */
export class CredentialsHelper implements Partial<ICredentialsHelper> {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {}

	getParentTypes(): string[] {
		return [];
	}

	async getDecrypted(_data: IWorkflowExecuteAdditionalData, details: INodeCredentialsDetails): Promise<ICredentialDataDecryptedObject> {
		const found = this.credentials[details.id ?? ''];
		if (!found) throw new Error(`No test credential "${details.id}"`);
		return found;
	}

	getCredentialsProperties() {
		return [];
	}
}

/** What n8n's engine needs around an execution: credentials, and hooks for WorkflowExecute. */
export function testAdditionalData(credentialsHelper: CredentialsHelper, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: '',
		instanceBaseUrl: '',
		formWaitingBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface FeishuCredentialData extends ICredentialDataDecryptedObject {
	region: string;
	baseUrl: string;
	appId: string;
	appSecret: string;
}

export interface RunOptions {
	/** Items the source node emits, one per input item of our node. */
	items?: IDataObject[];
	/** Parameters of the Feishu Approval node. */
	parameters: INodeParameters;
	credential: FeishuCredentialData;
	/** Extra credentials by id, for workflows with several Feishu nodes. */
	credentials?: Record<string, FeishuCredentialData>;
	/** A Feishu Approval Callback credential selected on the (first) Feishu node, as Create or Update Definition offers. */
	callbackCredential?: ICredentialDataDecryptedObject;
	/** Further Feishu nodes, chained after the first, each with its own credential id. */
	more?: Array<{ parameters: INodeParameters; credentialId: string }>;
	continueOnFail?: boolean;
}

export interface RunResult {
	run: IRun;
	/** Output items of the (first) Feishu node; empty when it failed. */
	items: INodeExecutionData[];
	/** Output items per node name. */
	output: (name: string) => INodeExecutionData[];
	/** The node error, when the execution failed. */
	error?: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null };
}

export const FEISHU_NODE = 'Feishu Approval';

/**
 * Runs `nodes` from `source` (one empty item) through n8n-core's real WorkflowExecute, resolved
 * when n8n's workflowExecuteAfter hook fires: the one engine path every test helper shares.
 */
export async function executeFrom(
	source: INode,
	nodes: INode[],
	connections: IWorkflowBase['connections'],
	credentialsHelper: CredentialsHelper,
	types: INodeTypes = nodeTypes,
): Promise<IRun> {
	const workflow = new Workflow({ id: 'test', nodes, connections, nodeTypes: types, active: false, settings: {} });
	const workflowData = { id: 'test', name: 'test', nodes, connections } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));
	const additionalData = testAdditionalData(credentialsHelper, hooks);
	const runExecutionData = {
		resultData: { runData: {} },
		executionData: {
			metadata: {},
			contextData: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: source, data: { main: [[{ json: {} }]] }, source: null }],
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	return await done.promise;
}

/** Runs "Items -> Feishu Approval (-> more)" through n8n-core's real WorkflowExecute. */
export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const credentials: Record<string, ICredentialDataDecryptedObject> = { main: options.credential, ...options.credentials };
	if (options.callbackCredential) credentials.callback = options.callbackCredential;
	const feishuNodes: INode[] = [{ parameters: options.parameters, credentialId: 'main' }, ...(options.more ?? [])].map((spec, n) => ({
		id: `feishu-${n}`,
		name: n === 0 ? FEISHU_NODE : `${FEISHU_NODE} ${n + 1}`,
		type: 'n8n-nodes-feishu-approval.feishuApproval',
		typeVersion: 1,
		position: [200 * (n + 1), 0],
		parameters: spec.parameters,
		credentials: {
			feishuApi: { id: spec.credentialId, name: spec.credentialId },
			...(n === 0 && options.callbackCredential ? { feishuApprovalCallbackApi: { id: 'callback', name: 'callback' } } : {}),
		},
		continueOnFail: options.continueOnFail,
	}));
	const source: INode = {
		id: 'items',
		name: 'Items',
		type: 'test.items',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{}]) },
	};
	const nodes = [source, ...feishuNodes];
	const connections: IWorkflowBase['connections'] = {};
	for (let n = 0; n < nodes.length - 1; n++) {
		connections[nodes[n].name] = { main: [[{ node: nodes[n + 1].name, type: 'main', index: 0 }]] };
	}
	const run = await executeFrom(source, nodes, connections, new CredentialsHelper(credentials));
	const output = (name: string): INodeExecutionData[] => run.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? [];
	return {
		run,
		items: output(FEISHU_NODE),
		output,
		error: run.data.resultData.error as RunResult['error'],
	};
}
