import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as actionCallback from './actionCallback';
import * as externalApproval from './externalApproval';
import * as externalInstance from './externalInstance';
import * as externalTask from './externalTask';
import type { FeishuApprovalType } from './node.type';

const resources = { actionCallback, externalApproval, externalInstance, externalTask };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as FeishuApprovalType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const operations = resources[resource] as Record<string, unknown> | undefined;
	const handler = operations?.[operation] as
		| { execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]> }
		| undefined;
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await handler.execute.call(this, items)];
}
