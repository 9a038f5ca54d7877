import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionWebhook } from './trigger/action/webhook';

// The description lives here, not in trigger/, so n8n's lint rules for trigger descriptions see it.
// No webhookMethods: Feishu has no API for registering a callback URL on its own. The URL is a
// field of the approval definition (action_callback_url), written with the definition's other
// fields by Feishu Approval → Third-Party Approval Definition → Create or Update, under the app
// credential; a trigger that rewrote it on activation would overwrite the definition.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class FeishuApprovalActionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Approval Action Trigger',
		name: 'feishuApprovalActionTrigger',
		icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "When an approver presses Approve or Reject" }}',
		description:
			'Starts the workflow when an approver presses Approve or Reject on a third-party approval (三方审批) in Feishu / Lark',
		defaults: {
			name: 'Feishu Approval Action Trigger',
		},
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'feishuApprovalCallbackApi',
				required: true,
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter["responseMode"]}}',
				path: 'callback',
			},
		],
		properties: [
			{
				displayName:
					'Set the Production URL above as the definition\'s Action Callback URL (Feishu Approval → Third-Party Approval Definition → Create or Update), and publish the workflow. Feishu waits at most 10 seconds for the answer.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'Immediately',
						value: 'onReceived',
						description: 'Accept at once (HTTP 200); the workflow runs on after Feishu has its answer',
					},
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description: 'Answer HTTP 200 with the last node\'s first item when the workflow ends (within 10 seconds)',
					},
					{
						name: "Using 'Respond to Feishu' Node",
						value: 'responseNode',
						description:
							'A Feishu Approval node (Action Callback → Respond to Feishu) accepts, or refuses with a message the approver sees',
					},
				],
				default: 'onReceived',
				description: 'When and how to answer Feishu',
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await actionWebhook.call(this);
	}
}
