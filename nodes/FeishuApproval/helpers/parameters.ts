import type { INodeProperties } from 'n8n-workflow';

/**
 * Builders of the parameters several operations and the trigger share with one meaning: an ID list
 * (read by `idList.ts`), an approval code, the Output choice and the Options collection. The words
 * that differ by place are arguments.
 */

const SEPARATORS = 'separated by commas, spaces or new lines, or a list from an expression';

/** A list of ids typed as text: room for a pasted list, one id per line. */
export function idListParameter(fields: {
	displayName: string;
	name: string;
	placeholder: string;
	/** Says what the ids are; the ways to separate them are added. */
	what: string;
	/** Follows the separators, e.g. how many go in one request. */
	then?: string;
	required?: boolean;
}): INodeProperties {
	return {
		displayName: fields.displayName,
		name: fields.name,
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		...(fields.required ? { required: true } : {}),
		placeholder: fields.placeholder,
		description: `${fields.what}, ${SEPARATORS}${fields.then ?? ''}`,
	};
}

/** Approval Codes: the definitions whose tasks are listed, 20 to a request. */
export function approvalCodesParameter(purpose: string, verb: 'sent' | 'read'): INodeProperties {
	return idListParameter({
		displayName: 'Approval Codes',
		name: 'approvalCodes',
		placeholder: 'E78F1022-A166-447C-8320-E151DA90D70F',
		what: `Codes of the approval definitions (审批定义 Code)${purpose}`,
		then: `. More than 20 are ${verb} in several requests.`,
		required: true,
	});
}

/** Approval Code: the one definition an operation reads or writes. */
export function approvalCodeParameter(description: string): INodeProperties {
	return {
		displayName: 'Approval Code',
		name: 'approvalCode',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'purchase_request',
		description,
	};
}

/** Options: the collection of settings most runs leave alone, after an operation's main parameters. */
export function optionsCollection(options: INodeProperties[], displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		...(displayOptions ? { displayOptions } : {}),
		options,
	};
}

/**
 * Output: approval instances as Feishu returns them, or one flat row per task (read by
 * `output.ts`'s `shape`). Each place says what its rows hold; Get Many adds its raw pages.
 */
export function outputParameter(
	defaultOutput: 'instances' | 'tasks',
	descriptions: { instances: string; tasks: string; pages?: string },
): INodeProperties {
	const options = [
		{ name: 'Instances', value: 'instances', description: descriptions.instances },
		{ name: 'Tasks', value: 'tasks', description: descriptions.tasks },
	];
	if (descriptions.pages) options.push({ name: 'Pages', value: 'pages', description: descriptions.pages });
	return { displayName: 'Output', name: 'output', type: 'options', options, default: defaultOutput };
}
