import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { FieldError } from '../../helpers/fieldError';
import { isToolForm, toToolDefinition } from '../../helpers/tool';
import type { UserIdType } from '../../transport';
import { getExternalApproval, maskSecrets } from '../../transport';
import { perItem } from '../perItem';
import { userIdTypeOption } from '../sharedOptions';
import { approvalCodeParameter, optionsCollection } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	approvalCodeParameter('Code of the third-party approval definition'),
	optionsCollection([userIdTypeOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['externalApproval'], operation: ['get'] } }, properties);

interface Request {
	approvalCode: string;
	userIdType: UserIdType;
}

function read(this: IExecuteFunctions, i: number): Request {
	const approvalCode = String(this.getNodeParameter('approvalCode', i, '') ?? '').trim();
	if (!approvalCode) throw new FieldError('Approval Code', 'is required');
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	return { approvalCode, userIdType: (options.userIdType as UserIdType | undefined) ?? 'user_id' };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await perItem(this, items, (i) => read.call(this, i), async (app, request: Request) => {
		// Feishu returns the callback token and key in clear [doc https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4/external_approval/get]: masked before n8n sees them.
		const definition = maskSecrets(await getExternalApproval(app, request.approvalCode, request.userIdType));
		// A model gets the names in words and the links, without i18n tables or callback settings.
		return isToolForm(this) ? toToolDefinition(definition as IDataObject) : definition;
	});
}
