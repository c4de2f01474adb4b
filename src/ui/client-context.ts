import { createContext, useContext } from 'react';
import type { EmulatorClient } from './emulator-client.ts';

export const ClientContext = createContext<EmulatorClient | null>(null);

export function useClient(): EmulatorClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}
