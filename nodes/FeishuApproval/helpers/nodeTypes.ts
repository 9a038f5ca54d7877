/**
 * The type names of our nodes and credentials. Saved workflows store them (prefixed with the package
 * name), so they never change; code that recognises a node by its type compares with these.
 */
export const ACTION_NODE_TYPE = 'feishuApproval';
export const TRIGGER_NODE_TYPE = 'feishuApprovalTrigger';
export const ACTION_TRIGGER_NODE_TYPE = 'feishuApprovalActionTrigger';

/** credentials/ imports nothing of ours, so its classes spell these out; a test keeps them equal. */
export const FEISHU_API_CREDENTIAL = 'feishuApi';
export const CALLBACK_CREDENTIAL = 'feishuApprovalCallbackApi';
