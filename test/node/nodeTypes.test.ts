import { FeishuApi } from '../../credentials/FeishuApi.credentials';
import { FeishuApprovalCallbackApi } from '../../credentials/FeishuApprovalCallbackApi.credentials';
import { CALLBACK_CREDENTIAL, FEISHU_API_CREDENTIAL } from '../../nodes/FeishuApproval/helpers/nodeTypes';

describe('node and credential type names', () => {
	it('names the credentials as their classes do', () => {
		expect(new FeishuApi().name).toBe(FEISHU_API_CREDENTIAL);
		expect(new FeishuApprovalCallbackApi().name).toBe(CALLBACK_CREDENTIAL);
	});
});
