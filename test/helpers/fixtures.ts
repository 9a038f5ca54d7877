import type { INodeParameters } from 'n8n-workflow';

/**
 * Create or Update Definition in Fields mode: the purchase request the tests define, with `extra`
 * (a callback URL, the deprecated token and key, ...) on top.
 */
export function definitionParameters(extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'externalApproval',
		operation: 'upsert',
		approvalCode: 'purchase_request',
		approvalName: 'Purchase request',
		groupCode: 'procurement',
		groupName: 'Procurement',
		pcLink: 'https://erp.example.com/purchase/new',
		actionCallbackUrl: 'https://n8n.example.com/webhook/feishu',
		...extra,
	};
}
