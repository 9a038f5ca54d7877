/**
 * The type names of our nodes and credentials. Saved workflows store them (prefixed with the package
 * name), so they never change; code that recognises a node by its type compares with these.
 */
export const ACTION_NODE_TYPE = 'feishuApproval';
export const TRIGGER_NODE_TYPE = 'feishuApprovalTrigger';
export const ACTION_TRIGGER_NODE_TYPE = 'feishuApprovalActionTrigger';

/**
 * The descriptions (and credentials/, which imports nothing of ours) spell these out, so that n8n's
 * lint rules can read them; test/node/nodeTypes.test.ts keeps them equal.
 */
export const FEISHU_API_CREDENTIAL = 'feishuApi';
export const CALLBACK_CREDENTIAL = 'feishuApprovalCallbackApi';
