import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

// n8n-core starts a 60 s cleanup interval the first time a node runs; the app clears it on
// shutdown, so do the same or jest never exits.
afterAll(() => {
	Container.get(SSHClientsManager).onShutdown();
});
