import { runInNewContext } from 'node:vm';

import type { IDataObject } from 'n8n-workflow';

/** What n8n's Code node gives its JavaScript in "Run Once for Each Item" mode, as far as the examples use it. */
export interface CodeItemContext {
	/** The current item's json. */
	json: IDataObject;
	/** Earlier nodes' items paired with this one, by node name: `$('Name').item.json`. */
	paired?: Record<string, IDataObject>;
	/** This workflow's static data, `$getWorkflowStaticData('global')`. */
	staticData: IDataObject;
}

/**
 * Runs an example's Code node (n8n-nodes-base's `code`, JavaScript, "Run Once for Each Item") on
 * one item and returns the json it returns. n8n-nodes-base is not a dependency of this package, so
 * the code runs as written in a VM context with those variables, not through n8n's Code node. The
 * result is copied out as JSON, as n8n stores it.
 */
export async function runCodeForItem(code: string, context: CodeItemContext): Promise<IDataObject> {
	const $ = (name: string) => {
		const json = context.paired?.[name];
		if (!json) throw new Error(`No item of "${name}" is paired with this one`);
		return { item: { json } };
	};
	const $getWorkflowStaticData = (type: string) => {
		if (type !== 'global') throw new Error(`Static data "${type}" is not played here`);
		return context.staticData;
	};
	const body = runInNewContext(`(async function ($json, $, $getWorkflowStaticData) {\n${code}\n})`, {}) as (
		...args: unknown[]
	) => Promise<{ json: IDataObject }>;
	const returned = await body(context.json, $, $getWorkflowStaticData);
	return JSON.parse(JSON.stringify(returned.json)) as IDataObject;
}
