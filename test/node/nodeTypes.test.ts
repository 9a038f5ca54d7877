import { FeishuApi } from '../../credentials/FeishuApi.credentials';
import { FeishuApprovalCallbackApi } from '../../credentials/FeishuApprovalCallbackApi.credentials';
import { FeishuApproval } from '../../nodes/FeishuApproval/FeishuApproval.node';
import { FeishuApprovalActionTrigger } from '../../nodes/FeishuApproval/FeishuApprovalActionTrigger.node';
import { FeishuApprovalTrigger } from '../../nodes/FeishuApproval/FeishuApprovalTrigger.node';
import {
	ACTION_NODE_TYPE,
	ACTION_TRIGGER_NODE_TYPE,
	CALLBACK_CREDENTIAL,
	FEISHU_API_CREDENTIAL,
	TRIGGER_NODE_TYPE,
} from '../../nodes/FeishuApproval/helpers/nodeTypes';

describe('node and credential type names', () => {
	it('names the nodes as the constants do', () => {
		expect(new FeishuApproval().description.name).toBe(ACTION_NODE_TYPE);
		expect(new FeishuApprovalTrigger().description.name).toBe(TRIGGER_NODE_TYPE);
		expect(new FeishuApprovalActionTrigger().description.name).toBe(ACTION_TRIGGER_NODE_TYPE);
	});

	it('names the credentials as the constants do, wherever a node asks for them', () => {
		expect(new FeishuApi().name).toBe(FEISHU_API_CREDENTIAL);
		expect(new FeishuApprovalCallbackApi().name).toBe(CALLBACK_CREDENTIAL);
		const asked = [new FeishuApproval(), new FeishuApprovalTrigger(), new FeishuApprovalActionTrigger()].flatMap(
			(node) => (node.description.credentials ?? []).map((credential) => credential.name),
		);
		expect(new Set(asked)).toEqual(new Set([FEISHU_API_CREDENTIAL, CALLBACK_CREDENTIAL]));
	});
});
