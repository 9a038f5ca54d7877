import type { RateLimitOptions } from '../sandbox';

// Messages between the benchmark and its sandbox process (sandboxChild.ts).

export type ChildRequest = { id: number } & (
	| { cmd: 'start'; name: string; rateLimit: false | Omit<RateLimitOptions, 'now'> }
	| { cmd: 'addApp'; name: string; appId: string; secret: string; tenant: string }
	| { cmd: 'seed'; name: string; tenant: string; codes: string[]; count: number; prefix: string }
	| { cmd: 'seedRejected'; name: string; tenant: string; codes: string[]; tasks: number; prefix: string }
	| { cmd: 'rejectNew'; name: string; tenant: string; codes: string[]; prefix: string; instances: number[]; round: number }
	| { cmd: 'log'; name: string }
	| { cmd: 'cpu' }
	| { cmd: 'close' }
);

export interface ChildReply {
	id: number;
	value?: unknown;
	error?: string;
}

/** What one sandbox saw since the last summary (taking a summary clears its log). */
export interface LogSummary {
	list: number;
	tokens: number;
	/** List requests by HTTP status answered. */
	statuses: Record<string, number>;
	firstListBody?: string;
	firstListQuery?: Record<string, string>;
	/** Distinct list bodies: every page of one query resends the same body [doc]. */
	listBodies: number;
	/** performance.now() in the sandbox process when the gateway limiter counted each list request. */
	arrivals: number[];
}

/** Tasks of instance n in the trigger's data: 1, 2, 3, 2 repeating, so 2 on average and 8 per 4 instances. */
export const rejectedTasksOf = (n: number): number => [1, 2, 3, 2][n % 4];
