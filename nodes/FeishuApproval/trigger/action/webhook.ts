import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { WorkflowConfigurationError } from 'n8n-workflow';

import { callbackSecrets } from '../../helpers/callbackCredential';
import { readCallback } from './callback';
import { ACTION_NODE_TYPE, CALLBACK_CREDENTIAL } from '../../helpers/nodeTypes';

/** The Feishu Approval node set to Action Callback → Respond to Feishu (its type ends so in any install). */
function isRespondToFeishu(node: { type: string; disabled?: boolean; parameters?: IDataObject }): boolean {
	return node.type.endsWith(`.${ACTION_NODE_TYPE}`) && !node.disabled && node.parameters?.resource === 'actionCallback';
}

/**
 * The mode must fit the workflow, as n8n's Webhook node checks for Respond to Webhook: a
 * responseNode workflow without a Respond to Feishu node would leave Feishu waiting, and a Respond
 * to Feishu node in another mode would answer nobody.
 */
function checkResponseMode(ctx: IWebhookFunctions, mode: string): void {
	const children = ctx.getChildNodes(ctx.getNode().name, { includeNodeParameters: true });
	const responds = children.some((node) => isRespondToFeishu(node));
	if (mode === 'responseNode' && !responds) {
		throw new WorkflowConfigurationError(ctx.getNode(), new Error('No Respond to Feishu node found in the workflow'), {
			description: 'Add a Feishu Approval node with Resource "Action Callback" and Operation "Respond to Feishu", or choose another option for "Respond"',
		});
	}
	if (mode !== 'responseNode' && responds) {
		throw new WorkflowConfigurationError(ctx.getNode(), new Error('Unused Respond to Feishu node found in the workflow'), {
			description: 'Set "Respond" to "Using \'Respond to Feishu\' Node", or remove the Respond to Feishu node',
		});
	}
}

/** The body as received: n8n keeps the raw bytes beside the parsed JSON (whose int64s lost digits). */
function rawBody(ctx: IWebhookFunctions): Buffer | string {
	const request = ctx.getRequestObject() as { rawBody?: Buffer };
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
	const body = ctx.getBodyData() as unknown;
	return typeof body === 'string' ? body : JSON.stringify(body ?? {});
}

/**
 * One callback. A refusal is answered here and starts no execution: n8n answers a webhook itself
 * only when the node returns workflow data, and a throw would give Feishu a 500 and the workflow an
 * error execution [seen: n8n 2.8.4, webhook-helpers executeWebhook].
 */
export async function actionWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	// Trimmed as Create or Update Definition trims them when it writes them to Feishu.
	const outcome = readCallback(rawBody(this), callbackSecrets(await this.getCredentials(CALLBACK_CREDENTIAL)));
	if (!outcome.accepted) {
		// The reason only: never the body, which carries the token. The precise reason goes to the
		// log alone when the answer must not tell it (callback.ts, UNVERIFIED_MESSAGE).
		this.logger.warn(`Feishu Approval Action Trigger refused a callback with HTTP ${outcome.status}: ${outcome.reason ?? outcome.message}`, {
			workflowId: this.getWorkflow().id,
			node: this.getNode().name,
		});
		const response = this.getResponseObject();
		response.writeHead(outcome.status, { 'Content-Type': 'application/json; charset=utf-8' });
		response.end(JSON.stringify({ message: outcome.message }));
		return { noWebhookResponse: true };
	}
	checkResponseMode(this, this.getNodeParameter('responseMode', 'onReceived') as string);
	return { workflowData: [[{ json: outcome.item }]] };
}
