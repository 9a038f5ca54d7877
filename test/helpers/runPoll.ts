import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { FeishuCredentialData } from './runWorkflow';
import { CredentialsHelper, nodeTypes, testAdditionalData } from './runWorkflow';

export const TRIGGER_NODE = 'Feishu Approval Trigger';
const TRIGGER_TYPE = 'n8n-nodes-feishu-approval.feishuApprovalTrigger';

export interface PollerOptions {
	/** Parameters of the Feishu Approval Trigger node. */
	parameters: INodeParameters;
	credential: FeishuCredentialData;
	/** The workflow's static data as saved before the first poll, e.g. by an earlier version. */
	staticData?: IDataObject;
	/** The workflow id; polls of one workflow and node run one at a time in a process. */
	workflowId?: string;
}

export interface Poller {
	/** The node's parameters, read at every poll; assign to change them between polls. */
	parameters: INodeParameters;
	/**
	 * One poll through n8n-core's real PollContext: 'trigger' as n8n polls an active workflow,
	 * 'manual' as the editor's test run. Returns the first output's items, or null.
	 */
	poll(mode?: 'trigger' | 'manual'): Promise<INodeExecutionData[] | null>;
	/** The node's static data as saved after the last poll (a fresh parse of the saved JSON). */
	readonly nodeStaticData: IDataObject;
	/** The workflow's whole static data, as the JSON text saved after the last poll. */
	readonly savedStaticData: string;
}

/**
 * A trigger node that polls like an active workflow in n8n. Between polls the workflow's static
 * data exists only as JSON text, as n8n stores it: each poll builds the workflow afresh from that
 * text, and the text is replaced after the poll, also when it threw (n8n keeps the same object in
 * memory for the whole activation, so what a failed poll changed would stay). A Set or Map in
 * static data would not survive this, as it does not survive n8n.
 */
let workflows = 0;

export function createPoller(options: PollerOptions): Poller {
	let saved = JSON.stringify(options.staticData ?? {});
	// One id per poller, as one workflow: its polls share the process's overlap guard.
	const workflowId = options.workflowId ?? `test-trigger-${++workflows}`;
	let parameters = options.parameters;
	const credentialsHelper = new CredentialsHelper({ main: options.credential });

	async function poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[] | null> {
		const node: INode = {
			id: 'trigger',
			name: TRIGGER_NODE,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			// A copy: the Workflow fills in defaults in place.
			parameters: structuredClone(parameters),
			credentials: { feishuApi: { id: 'main', name: 'main' } },
		};
		const workflow = new Workflow({
			id: workflowId,
			nodes: [node],
			connections: {},
			nodeTypes,
			active: mode === 'trigger',
			settings: {},
			staticData: JSON.parse(saved) as IDataObject,
		});
		const additionalData = testAdditionalData(credentialsHelper);
		const context = new PollContext(workflow, workflow.getNode(TRIGGER_NODE)!, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
		const nodeType = nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1);
		// Saved after manual runs too, which n8n does not do: so a test can see that a manual run
		// left the memory alone.
		try {
			const result = await nodeType.poll!.call(context);
			return result === null ? null : result[0];
		} finally {
			saved = JSON.stringify(workflow.staticData);
		}
	}

	return {
		poll,
		get parameters() {
			return parameters;
		},
		set parameters(value: INodeParameters) {
			parameters = value;
		},
		get nodeStaticData() {
			return ((JSON.parse(saved) as IDataObject)[`node:${TRIGGER_NODE}`] ?? {}) as IDataObject;
		},
		get savedStaticData() {
			return saved;
		},
	};
}
