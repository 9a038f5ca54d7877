import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { ACTION_TRIGGER_NODE_TYPE } from '../../helpers/nodeTypes';

const properties: INodeProperties[] = [
	{
		displayName: 'Decision',
		name: 'decision',
		type: 'options',
		options: [
			{
				name: 'Accept',
				value: 'accept',
				description: 'Answer HTTP 200: Feishu takes the approver\'s action as done',
			},
			{
				name: 'Refuse',
				value: 'refuse',
				description: 'Answer HTTP 400 with a message: Feishu shows it to the approver, and the action fails',
			},
		],
		default: 'accept',
		description: 'How to answer the callback that started this workflow',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. This request was already withdrawn in the purchasing system',
		description: 'What the approver sees in Feishu',
		displayOptions: { show: { decision: ['refuse'] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['actionCallback'], operation: ['respond'] } }, properties);

/**
 * Answers the Feishu Approval Action Trigger's callback through n8n's sendResponse, once, from
 * the first item (as Respond to Webhook does); the items pass through unchanged. Calls no Feishu
 * API, so it needs no credential. A refusal reaches the approver only as a failure status with
 * `message` in the body [doc https://open.feishu.cn/document/ukTMukTMukTM/ukjNyYjL5YjM24SO2IjN/quick-approval-callback].
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const fromTrigger = this.getParentNodes(node.name).some((parent) => parent.type.endsWith(`.${ACTION_TRIGGER_NODE_TYPE}`));
	if (!fromTrigger) {
		throw new NodeOperationError(node, 'Respond to Feishu answers a Feishu Approval Action Trigger, and none comes before this node', {
			description: 'Start the workflow with a Feishu Approval Action Trigger whose "Respond" is "Using \'Respond to Feishu\' Node"',
		});
	}
	const decision = this.getNodeParameter('decision', 0) as 'accept' | 'refuse';
	let body: { message: string } | Record<string, never> = {};
	if (decision === 'refuse') {
		const message = String(this.getNodeParameter('message', 0, '') ?? '').trim();
		if (!message) throw new NodeOperationError(node, 'Message is required to refuse: it is what the approver sees', { itemIndex: 0 });
		body = { message };
	}
	await this.sendResponse({
		body,
		headers: { 'content-type': 'application/json; charset=utf-8' },
		statusCode: decision === 'refuse' ? 400 : 200,
	});
	return items.map((item, i) => ({ ...item, pairedItem: { item: i } }));
}
