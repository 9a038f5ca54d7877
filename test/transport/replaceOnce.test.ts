import { closeAll, syncExternalInstance } from '../../nodes/FeishuApproval/transport';
import { appFromCredential } from '../../nodes/FeishuApproval/transport/credentials';
import { mayHaveBeenApplied } from '../../nodes/FeishuApproval/transport/retryPolicy';
import { newApp, useSandbox } from '../helpers/sandbox';
import { completeSync, INSTANCES_PATH } from '../sandbox';

// A REPLACE has no version check [doc D-inst]: sent twice, the second can land after a newer sync
// and overwrite it. So it is sent again only when the first provably was not applied.

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const body = (mode: 'REPLACE' | 'UPDATE') =>
	completeSync({
		approval_code: 'purchase_request',
		instance_id: `PR-once-${mode}`,
		status: 'PENDING',
		update_time: String(T0),
		task_list: [{ task_id: `PR-once-${mode}-a`, user_id: 'u_a', status: 'PENDING', update_time: String(T0) }],
		update_mode: mode,
	});

describe('A REPLACE is never sent twice', () => {
	const env = useSandbox({ rateLimit: false });
	afterAll(async () => await closeAll());
	const syncs = () => env.sandbox.requests.filter((r) => r.path === INSTANCES_PATH);

	test('Should not retry a REPLACE whose answer timed out after Feishu applied it', async () => {
		const app = appFromCredential(newApp(env.sandbox));
		env.sandbox.clearLog();
		// Applied on arrival, answered after 1.5 s; the client waits 0.3 s.
		env.sandbox.injectFault({ type: 'delay', ms: 1_500, stale: true }, 1, { path: INSTANCES_PATH });

		await expect(syncExternalInstance(app, body('REPLACE') as never, { limits: { headersMs: 300, bodyMs: 300 } })).rejects.toMatchObject({ details: { notRepeated: true, networkCode: 'UND_ERR_HEADERS_TIMEOUT' } });
		expect(syncs()).toHaveLength(1);
		expect(env.sandbox.storedInstance('PR-once-REPLACE', app.appId)).toBeDefined();
	});

	test('Should retry an UPDATE whose answer timed out', async () => {
		const app = appFromCredential(newApp(env.sandbox));
		env.sandbox.clearLog();
		env.sandbox.injectFault({ type: 'delay', ms: 1_500, stale: true }, 1, { path: INSTANCES_PATH });

		await syncExternalInstance(app, body('UPDATE') as never, { limits: { headersMs: 300, bodyMs: 300 } });
		expect(syncs()).toHaveLength(2);
	});

	test.each([
		['a headers time-out', true, { kind: 'transient', error: { msg: '', networkCode: 'UND_ERR_HEADERS_TIMEOUT' } }],
		['a reset', true, { kind: 'transient', error: { msg: '', networkCode: 'ECONNRESET' } }],
		['a gateway 502', true, { kind: 'transient', error: { msg: '', httpStatus: 502 } }],
		['a refused connection', false, { kind: 'transient', error: { msg: '', networkCode: 'ECONNREFUSED' } }],
		['a connect time-out', false, { kind: 'transient', error: { msg: '', networkCode: 'UND_ERR_CONNECT_TIMEOUT' } }],
		['1395001 try again later', false, { kind: 'transient', error: { msg: '', code: 1395001, httpStatus: 400 } }],
		['a rate limit', false, { kind: 'rateLimited', error: { msg: '', code: 99991400 } }],
		['a refused token', false, { kind: 'tokenInvalid', error: { msg: '', code: 99991663 } }],
	] as const)('%s: may have been applied = %s', (_name, expected, outcome) => {
		expect(mayHaveBeenApplied(outcome as never)).toBe(expected);
	});
});
