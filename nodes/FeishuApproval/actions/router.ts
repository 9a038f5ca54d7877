import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isToolForm, toolErrorItem } from '../helpers/tool';
import * as actionCallback from './actionCallback';
import * as externalApproval from './externalApproval';
import * as externalInstance from './externalInstance';
import * as externalTask from './externalTask';
import type { FeishuApprovalType } from './node.type';

type Handler = { execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]> };

function handlerOf(ctx: IExecuteFunctions): Handler {
	const resource = ctx.getNodeParameter('resource', 0) as FeishuApprovalType['resource'];
	const operation = ctx.getNodeParameter('operation', 0) as string;
	if (resource === 'actionCallback' && isToolForm(ctx)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Respond to Feishu is not a tool: it answers the Feishu callback that started a workflow, and no callback started this call',
			{ description: 'Do not call this tool. Its owner should remove it from the agent and use Respond to Feishu after a Feishu Approval Action Trigger.' },
		);
	}
	// Typed as n8n's Linear v2 routes: an operation in node.type.ts that its resource does not
	// export is a compile error. A saved workflow can still name one this version lacks.
	const node = { resource, operation } as FeishuApprovalType;
	let handler: Handler | undefined;
	switch (node.resource) {
		case 'actionCallback':
			handler = actionCallback[node.operation];
			break;
		case 'externalApproval':
			handler = externalApproval[node.operation];
			break;
		case 'externalInstance':
			handler = externalInstance[node.operation];
			break;
		case 'externalTask':
			handler = externalTask[node.operation];
			break;
	}
	if (!handler) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return handler;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (!isToolForm(this)) return [await handlerOf(this).execute.call(this, items)];
	// The tool form (an AI Agent's or an MCP client's call): a failure comes back to the model as
	// text that says what to change, instead of ending the execution (n8n 2.8 and 1.x would).
	try {
		return [await handlerOf(this).execute.call(this, items)];
	} catch (error) {
		return [[toolErrorItem(this, error)]];
	}
}
