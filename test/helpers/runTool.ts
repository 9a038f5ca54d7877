import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowBase,
} from 'n8n-workflow';
import { deepCopy, NodeHelpers } from 'n8n-workflow';

import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import type { FeishuCredentialData } from './runWorkflow';
import { CredentialsHelper, executeFrom, nodeTypes as baseTypes } from './runWorkflow';

// The node's tool form, as n8n builds and calls it: the type `<package>.feishuApprovalTool` is
// the node converted the way n8n 2.8.4 converts `usableAsTool` nodes (n8n's
// tool-generation/ai-tools.js, convertNodeToAiTool), and a stand-in agent asks n8n-core for its
// tools (getInputConnectionData -> createNodeAsTool, the path of n8n's MCP Server Trigger and
// agents) and invokes them as a model would, with the arguments the model chose.

export const TOOL_TYPE = 'n8n-nodes-feishu-approval.feishuApprovalTool';

/** n8n 2.8.4's convertNodeToAiTool, for this node (which brings its own toolDescription). */
export function asN8nTool(nodeType: INodeType): INodeType {
	const description = deepCopy(nodeType.description) as INodeTypeDescription;
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = ['ai_tool'] as INodeTypeDescription['outputs'];
	delete description.usableAsTool;
	if (!description.properties.some((p) => p.name === 'toolDescription')) {
		// What n8n adds to a node without one; this node has its own, so this never runs.
		description.properties.unshift({ displayName: 'Description', name: 'toolDescription', type: 'string', default: description.description } as INodeProperties);
	}
	return Object.create(nodeType, { description: { value: description } }) as INodeType;
}

/** What the stand-in agent learned about one tool and what each call answered. */
export interface ToolReport {
	name: string;
	description: string;
	/** The JSON schema keys the model sees (the `$fromAI` keys). */
	keys: string[];
	/** Each call's answer as the model receives it (a JSON string), or the thrown error's message. */
	answers: Array<{ text?: string; thrown?: string }>;
}

interface StructuredToolLike {
	name: string;
	description: string;
	schema: { shape?: Record<string, unknown> };
	invoke: (args: IDataObject) => Promise<string>;
}

/** A stand-in agent: one ai_tool input, calls the tool once per entry of its `calls` parameter. */
class ToolCaller implements INodeType {
	description = {
		displayName: 'Tool Caller',
		name: 'toolCaller',
		group: ['transform'],
		version: 1,
		description: 'Calls its tools as a model would',
		defaults: { name: 'Tool Caller' },
		inputs: ['main', { type: 'ai_tool', displayName: 'Tools', required: true }],
		outputs: ['main'],
		properties: [{ displayName: 'Calls', name: 'calls', type: 'json', default: '[]' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const calls = JSON.parse(this.getNodeParameter('calls', 0) as string) as IDataObject[];
		const tools = (await this.getInputConnectionData('ai_tool', 0)) as StructuredToolLike[];
		const reports: ToolReport[] = [];
		for (const tool of tools) {
			const answers: ToolReport['answers'] = [];
			for (const args of calls) {
				try {
					answers.push({ text: await tool.invoke(args) });
				} catch (error) {
					answers.push({ thrown: (error as Error).message });
				}
			}
			reports.push({ name: tool.name, description: tool.description, keys: Object.keys(tool.schema.shape ?? {}), answers });
		}
		return [reports.map((report) => ({ json: report as unknown as IDataObject }))];
	}
}

const types: Record<string, INodeType> = {
	[TOOL_TYPE]: asN8nTool(new FeishuApproval()),
	'test.toolCaller': new ToolCaller(),
};
const nodeTypes: INodeTypes = {
	getByName: (type) => types[type] ?? baseTypes.getByName(type),
	getByNameAndVersion: (type, version) => (types[type] ? NodeHelpers.getVersionedNodeType(types[type], version) : baseTypes.getByNameAndVersion(type, version)),
	getKnownTypes: () => ({}),
};

export interface ToolRun {
	run: IRun;
	report?: ToolReport;
	/** The answers parsed: the items' json the model reads, or the thrown message. */
	answers: Array<IDataObject[] | { thrown: string }>;
	error?: Error;
}

/** Runs "Items -> Tool Caller <-(ai_tool)- Feishu Approval Tool" through n8n-core's WorkflowExecute. */
export async function runTool(options: { parameters: INodeParameters; credential: FeishuCredentialData; calls: IDataObject[]; name?: string }): Promise<ToolRun> {
	const tool: INode = {
		id: 'tool',
		name: options.name ?? 'Feishu Approval',
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [200, 200],
		parameters: options.parameters,
		credentials: { feishuApi: { id: 'main', name: 'main' } },
	};
	const source: INode = { id: 'items', name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: { items: '[{}]' } };
	const caller: INode = { id: 'caller', name: 'Tool Caller', type: 'test.toolCaller', typeVersion: 1, position: [200, 0], parameters: { calls: JSON.stringify(options.calls) } };
	const nodes = [source, caller, tool];
	const connections: IWorkflowBase['connections'] = {
		[source.name]: { main: [[{ node: caller.name, type: 'main', index: 0 }]] },
		[tool.name]: { ai_tool: [[{ node: caller.name, type: 'ai_tool', index: 0 }]] },
	};
	const run = await executeFrom(source, nodes, connections, new CredentialsHelper({ main: options.credential }), nodeTypes);
	const report = run.data.resultData.runData[caller.name]?.[0]?.data?.main?.[0]?.[0]?.json as unknown as ToolReport | undefined;
	const answers = (report?.answers ?? []).map((answer) => (answer.thrown !== undefined ? { thrown: answer.thrown } : (JSON.parse(answer.text!) as IDataObject[])));
	return { run, report, answers, error: run.data.resultData.error as Error | undefined };
}

/** The tool's description as n8n computes it for the model, without running anything. */
export function toolDescriptionFor(parameters: INodeParameters): string {
	const nodeType = types[TOOL_TYPE];
	const node: INode = { id: 't', name: 'Feishu Approval', type: TOOL_TYPE, typeVersion: 1, position: [0, 0], parameters };
	node.parameters = NodeHelpers.getNodeParameters(nodeType.description.properties, node.parameters, true, false, node, nodeType.description) ?? {};
	return NodeHelpers.getToolDescriptionForNode(node, nodeType);
}

export const toolType = (): INodeType => types[TOOL_TYPE];
