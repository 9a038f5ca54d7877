// The Feishu stand-in that tests, the demo and the benchmarks share (design.md, "Sandbox").
export { startSandbox } from './server';
export { seedDemoData } from './demoData';
export type { DemoData } from './demoData';
export { APPROVALS_PATH, CHECK_PATH, INSTANCES_PATH, TASKS_PATH, TOKEN_PATH } from './paths';
export { completeSync } from './seed';
export { callbackBody, callbackJson, encryptCallback, FEISHU_WAIT_MS, postCallback, sendActionCallback, undecryptableEnvelopes } from './actionCallback';
export type { ActionCallbackPayload, CallbackAnswer } from './actionCallback';
export type { PressOptions, PressResult } from './press';
export type {
	CodeFault,
	DelayFault,
	DropFault,
	EchoFault,
	ExternalInstanceSync,
	ExternalTaskInstance,
	ExternalTaskSync,
	Fault,
	FieldValidationFault,
	HttpFault,
	InstanceStatus,
	ListPage,
	ListPageHook,
	NotFoundFault,
	PermissionFault,
	RateLimitedFault,
	RateLimitOptions,
	Sandbox,
	SandboxOptions,
	SandboxRequest,
	TaskStatus,
} from './types';
