import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';

// A scripted model behind an OpenAI-compatible Chat Completions endpoint on 127.0.0.1, for n8n's
// OpenAI Chat Model node (typeVersion 1.2 speaks Chat Completions; 1.3 defaults to the Responses
// API, which only OpenAI serves). Each request is recorded; the script decides each answer: a
// tool call or the final text. Plain JSON answers, or server-sent events when `stream` is asked.

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: { properties?: Record<string, unknown> } } }>;
	stream?: boolean;
}

export type Reply = { toolCall: { name: string; arguments: Record<string, unknown> } } | { text: string };
export type Script = (request: ChatRequest) => Reply;

export interface ModelStandIn {
	/** The Base URL for the OpenAI credential: `http://127.0.0.1:<port>/v1`. */
	baseUrl: string;
	/** Every request, with the raw body text (what n8n sent the model). */
	requests: Array<{ path: string; authorization?: string; body: ChatRequest; text: string }>;
	setScript: (script: Script) => void;
	close: () => Promise<void>;
}

/** The text of a message, whatever shape its content has. */
export function textOf(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? '').join('');
	return '';
}

export async function startModelStandIn(): Promise<ModelStandIn> {
	const requests: ModelStandIn['requests'] = [];
	let script: Script = () => ({ text: 'No script.' });
	let calls = 0;
	const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		let text = '';
		request.on('data', (chunk: Buffer) => (text += chunk.toString()));
		request.on('end', () => {
			if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
				response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `The stand-in serves POST /v1/chat/completions, not ${request.method} ${request.url}` } }));
				return;
			}
			const body = JSON.parse(text) as ChatRequest;
			requests.push({ path: request.url, authorization: request.headers.authorization, body, text });
			const reply = script(body);
			const id = `chatcmpl-standin-${++calls}`;
			const created = Math.floor(Date.now() / 1000);
			const toolCalls =
				'toolCall' in reply
					? [{ id: `call_standin_${calls}`, type: 'function', function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) } }]
					: undefined;
			const finish = toolCalls ? 'tool_calls' : 'stop';
			const usage = { prompt_tokens: Math.ceil(text.length / 4), completion_tokens: 20, total_tokens: Math.ceil(text.length / 4) + 20 };
			if (!body.stream) {
				const message = toolCalls ? { role: 'assistant', content: null, tool_calls: toolCalls } : { role: 'assistant', content: (reply as { text: string }).text };
				response.writeHead(200, { 'content-type': 'application/json' }).end(
					JSON.stringify({ id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message, finish_reason: finish }], usage }),
				);
				return;
			}
			const chunk = (delta: object, finishReason: string | null, extra: object = {}) =>
				`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
			response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			if (toolCalls) response.write(chunk({ role: 'assistant', content: null, tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }, null));
			else response.write(chunk({ role: 'assistant', content: (reply as { text: string }).text }, null));
			response.write(chunk({}, finish, { usage }));
			response.end('data: [DONE]\n\n');
		});
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const { port } = server.address() as { port: number };
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		setScript: (next) => {
			script = next;
		},
		close: async () => await new Promise((closed) => server.close(() => closed())),
	};
}
