import { safeStorage } from 'electron';
import type { SecretCodec } from './core/store/secret-store.ts';

/**
 * The Electron target's secret codec: Electron's safeStorage (Keychain on macOS, DPAPI on
 * Windows, the desktop's secret service on Linux), stored as base64. Uses the
 * asynchronous calls: the synchronous ones are deprecated. Call after the app is ready.
 * Rejects with an Error that says so when the system offers no encryption, rather than
 * quietly keeping secrets in the clear.
 */
export async function safeStorageCodec(): Promise<SecretCodec> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new Error(
      'Electron safeStorage cannot encrypt on this system (no keychain or secret service is available), so secrets cannot be kept',
    );
  }
  return {
    kind: 'electron-safe-storage',
    encode: async (plain) => (await safeStorage.encryptStringAsync(plain)).toString('base64'),
    // `shouldReEncrypt` (a rotated key) is not acted on: the old ciphertext still decrypts,
    // and the next set() of that secret writes it with the current key.
    decode: async (stored) =>
      (await safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'))).result,
  };
}
