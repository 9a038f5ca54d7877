/** A parameter that is empty or out of range: its message is shown as is, with no Feishu code. */
export class InputError extends Error {}
