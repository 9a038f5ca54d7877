import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FeishuApp } from '../transport';
import { appFromCredential, toNodeError } from '../transport';
import { FEISHU_API_CREDENTIAL } from '../helpers/nodeTypes';

/**
 * The shape the write operations and Get share: every item's parameters are read and checked
 * first (bad input costs no request), then one request per item, in order; each output is
 * paired with its item, and a failure is an error item under Continue On Fail.
 */
export async function perItem<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	read: (itemIndex: number) => T,
	send: (app: FeishuApp, request: T, itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const results: INodeExecutionData[][] = items.map(() => []);
	const fail = failer(ctx, results);
	const requests: Array<{ itemIndex: number; request: T }> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			requests.push({ itemIndex: i, request: read(i) });
		} catch (error) {
			fail(error, i);
		}
	}
	const app = await credentialApp(ctx, requests.map((r) => r.itemIndex), fail);
	if (!app) return results.flat();
	for (const { itemIndex, request } of requests) {
		try {
			results[itemIndex] = [{ json: await send(app, request, itemIndex), pairedItem: { item: itemIndex } }];
		} catch (error) {
			fail(error, itemIndex);
		}
	}
	return results.flat();
}

/** Throws the item's error, or (Continue On Fail) makes it that item's output. */
export function failer(ctx: IExecuteFunctions, results: INodeExecutionData[][]): (error: unknown, itemIndex: number) => void {
	const node = ctx.getNode();
	return (error, itemIndex) => {
		const nodeError = toNodeError(node, error, itemIndex);
		if (!ctx.continueOnFail()) throw nodeError;
		results[itemIndex] = [
			{ json: { error: nodeError.message, description: nodeError.description ?? '' }, error: nodeError, pairedItem: { item: itemIndex } },
		];
	};
}

/** The credential as the transport needs it; a broken one fails every item that would send. */
export async function credentialApp(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	fail: (error: unknown, itemIndex: number) => void,
): Promise<FeishuApp | undefined> {
	if (!itemIndexes.length) return undefined;
	try {
		return appFromCredential(await ctx.getCredentials(FEISHU_API_CREDENTIAL));
	} catch (error) {
		const message = (error as Error).message;
		for (const i of itemIndexes) fail(new NodeOperationError(ctx.getNode(), message, { itemIndex: i }), i);
		return undefined;
	}
}

/** JSON text parsed, or why not (no throw, so callers build their own error). */
export function parseJson(text: string): { value: unknown } | { problem: string } {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch (error) {
		return { problem: `is not valid JSON: ${(error as Error).message}` };
	}
}

/** A JSON object parameter: text from the editor or an object from an expression. */
export function jsonParameter(ctx: IExecuteFunctions, itemIndex: number, value: unknown, label: string): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		const result = parseJson(value);
		if ('problem' in result) throw new NodeOperationError(ctx.getNode(), `${label} ${result.problem}`, { itemIndex });
		parsed = result.value;
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a JSON object`, { itemIndex });
	}
	return parsed as IDataObject;
}
