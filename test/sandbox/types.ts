// The sandbox's public types. Tests, the demo and the benchmarks import these through index.ts.
import type { PressOptions, PressResult } from './press';

export interface RateLimitOptions {
	perSecond?: number;
	perMinute?: number;
	// Window lengths, so tests and benchmarks can scale time down.
	secondMs?: number;
	minuteMs?: number;
	// Clock of the windows, default performance.now() (monotonic). Separate from
	// SandboxOptions.now so that freezing token time never freezes the limiter.
	now?: () => number;
}

export interface SandboxOptions {
	// Default 0: a random free port.
	port?: number;
	// `expire` returned by the token exchange, in seconds; default 7200 [doc].
	tokenExpireSeconds?: number;
	// Default { perSecond: 50, perMinute: 1000, secondMs: 1000, minuteMs: 60000 } [doc], per app id,
	// on GET external_tasks only (the write endpoints document the same limits; the sandbox does
	// not enforce them there, so seeding stays free). false turns it off.
	rateLimit?: false | RateLimitOptions;
	// Clock for token expiry (and log id timestamps), default Date.now.
	now?: () => number;
	// The field table says the last page has no page_token, the official example returns one:
	// default true follows the example (a token that yields an empty page, has_more false).
	lastPageToken?: boolean;
}

export interface SandboxRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	// Parsed JSON, or undefined when the body is empty or not JSON.
	body: unknown;
	// The app behind a valid bearer token (or, on the token exchange, the app that got a token).
	appId?: string;
	// HTTP status answered; 0 while pending and for connections dropped without an answer.
	status: number;
	// Feishu `code` answered, when the answer was JSON.
	code?: number;
	logId: string;
	// Arrival time in ms on performance.now()'s clock, for throughput figures (e2e, benchmarks).
	arrivedAt: number;
	// The `type` of the injected fault that hit this request.
	fault?: string;
}

export interface HttpFault {
	type: 'http';
	status: number;
}
export interface CodeFault {
	type: 'code';
	code: number;
	msg?: string;
	httpStatus?: number;
}
export interface RateLimitedFault {
	type: 'rateLimited';
	// Value of x-ogw-ratelimit-reset; default 1; null omits the header.
	resetSeconds?: number | null;
}
export interface PermissionFault {
	type: 'permission';
}
export interface FieldValidationFault {
	type: 'fieldValidation';
}
export interface NotFoundFault {
	type: 'notFound';
}
export interface DelayFault {
	type: 'delay';
	ms: number;
	// Default false: wait, then answer with the data as it is then. true: the answer is made on
	// arrival and held back `ms`, so it carries the data as old as the request (a slow gateway;
	// answers of overlapping requests can then arrive older-last).
	stale?: boolean;
}
export interface DropFault {
	type: 'drop';
}
// A scripted answer, for what the documentation allows but the sandbox never does on its own
// (e.g. a repeated page token with has_more true).
export interface JsonFault {
	type: 'json';
	status?: number;
	body: { code: number } & Record<string, unknown>;
}
// A server that echoes what it got, as some error pages and validation messages do: the request
// line, the Authorization header and the body, in an HTML page (HTTP 500 by default) or in the
// `msg` of a Feishu error (HTTP 400, code 1390001). For tests that secrets never reach an error.
export interface EchoFault {
	type: 'echo';
	as: 'html' | 'json';
	status?: number;
}
export type Fault =
	| EchoFault
	| HttpFault
	| CodeFault
	| RateLimitedFault
	| PermissionFault
	| FieldValidationFault
	| NotFoundFault
	| DelayFault
	| DropFault
	| JsonFault;

export type InstanceStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELED' | 'DELETED' | 'HIDDEN' | 'TERMINATED';
export type TaskStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'TRANSFERRED' | 'DONE';

export interface ExternalTaskSync {
	task_id: string;
	user_id?: string;
	status: TaskStatus;
	// Epoch milliseconds as a string [doc].
	update_time: string;
}

// Body of POST /open-apis/approval/v4/external_instances, reduced to what the list reads: a seed.
// `completeSync` fills the other required fields; any documented field may be given too.
export interface ExternalInstanceSync {
	approval_code: string;
	instance_id: string;
	status: InstanceStatus;
	update_time: string;
	task_list: ExternalTaskSync[];
	// REPLACE (default) drops unlisted tasks; UPDATE applies only newer update_time [doc].
	update_mode?: 'REPLACE' | 'UPDATE';
}

// One instance as GET external_tasks returns it [doc].
export interface ExternalTaskInstance {
	instance_id: string;
	approval_id: string;
	approval_code: string;
	status: InstanceStatus;
	update_time: string;
	tasks: { id: string; status: TaskStatus; update_time: string }[];
}

export interface ListPage {
	request: SandboxRequest;
	/** The page answered had no page_token: the first page of a listing. */
	first: boolean;
	/** The instance ids on the page, in order. */
	instanceIds: string[];
	hasMore: boolean;
}
export type ListPageHook = (page: ListPage) => void | Promise<void>;

export interface Sandbox {
	// 'http://127.0.0.1:PORT', no trailing slash.
	baseUrl: string;
	port: number;
	/** Registers a self-built app; apps of one `tenant` see the same instances (default: a shared tenant). */
	addApp(appId: string, appSecret: string, tenant?: string): void;
	// The request log in arrival order; a live array (clearLog empties it in place).
	requests: SandboxRequest[];
	clearLog(): void;
	listRequests(): SandboxRequest[];
	tokenRequests(): SandboxRequest[];
	// The next `times` (default 1) requests whose path is match.path (default the list path) get
	// the fault, before any other check, after letting `match.after` (default 0) such requests
	// through untouched (so a fault can hit page 2 or 3). Faults queue in order.
	injectFault(fault: Fault, times?: number, match?: { path?: string; after?: number }): void;
	// Every token issued so far becomes invalid (next use answers 99991663).
	expireTokens(): void;
	/**
	 * POST external_instances in process, into `tenant` (default: the shared tenant): the seed is
	 * completed (`completeSync`), then the endpoint's own logic runs; throws on invalid input.
	 */
	syncInstance(body: ExternalInstanceSync, tenant?: string): void;
	/** The stored instance (fields as accepted, task_list, cc_list), or undefined. */
	storedInstance(instanceId: string, tenant?: string): Record<string, unknown> | undefined;
	/** Marks a definition deleted (no API does), so GET answers 1390016. */
	deleteApproval(approvalCode: string, tenant?: string): void;
	/**
	 * An approver presses a quick action in Feishu: the callback goes to the definition's
	 * action_callback_url as Feishu sends it (token inside, encrypted when the definition has a
	 * key), and the answer comes back as Feishu reads it.
	 */
	pressAction(options: PressOptions): Promise<PressResult>;
	/** Instances of one tenant, or of all. */
	instanceCount(tenant?: string): number;
	/**
	 * Calls `hook` after each page of GET external_tasks is computed and before it is sent (none:
	 * stop). The page holds the data as it was; what the hook changes shows from the next page on,
	 * as when the list moves while a client pages through it.
	 */
	onListPage(hook?: ListPageHook): void;
	close(): Promise<void>;
}
