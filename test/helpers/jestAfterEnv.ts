import { rmSync } from 'node:fs';

import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

afterAll(() => {
	// n8n-core starts a 60 s cleanup interval the first time a node runs; the app clears it on
	// shutdown, so do the same or jest never exits.
	Container.get(SSHClientsManager).onShutdown();
	// The user folder jestSetup.ts made for this test file, and nothing else.
	const own = process.env.FEISHU_TEST_OWN_USER_FOLDER;
	if (own && own === process.env.N8N_USER_FOLDER) rmSync(own, { recursive: true, force: true });
});
