import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Stamps `displayOptions` onto every property (nodes-base's updateDisplayOptions, which is not published). */
export function updateDisplayOptions(displayOptions: IDisplayOptions, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			show: { ...displayOptions.show, ...property.displayOptions?.show },
			hide: { ...displayOptions.hide, ...property.displayOptions?.hide },
		},
	}));
}
