import {
  EXTENSION_SECRETS,
  EXTENSION_TYPES,
  type FieldError,
  type SecretField,
} from '../../shared/model/settings.ts';
import { findControl } from '../../shared/protocols/text.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { SecretStore } from './store/secret-store.ts';

/** A secret typed into a save request: its field, its store name, and what was typed. */
export interface TypedSecret extends SecretField {
  readonly value: string;
}

const SECRET_LIMIT = 256;

/**
 * Takes the extension's write-only fields (EXTENSION_SECRETS) out of a save request before
 * the settings schema sees it. An empty field keeps the saved secret, so it is not taken.
 * A value that cannot be kept is refused by field, like any other setting.
 */
export function takeSecretFields(
  input: unknown,
): Result<{ settings: unknown; typed: readonly TypedSecret[] }, FieldError[]> {
  if (typeof input !== 'object' || input === null || !('extension' in input)) {
    return ok({ settings: input, typed: [] });
  }
  const { extension } = input;
  if (typeof extension !== 'object' || extension === null || !('type' in extension)) {
    return ok({ settings: input, typed: [] });
  }
  const type = EXTENSION_TYPES.find((known) => known === extension.type);
  if (type === undefined) return ok({ settings: input, typed: [] });
  const fields = EXTENSION_SECRETS[type];
  const rest = Object.fromEntries(
    Object.entries(extension).filter(([key]) => !fields.some((secret) => secret.field === key)),
  );
  const given = new Map(Object.entries(extension));
  const typed: TypedSecret[] = [];
  const errors: FieldError[] = [];
  for (const secret of fields) {
    const value: unknown = given.get(secret.field);
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || value.length > SECRET_LIMIT || findControl(value) !== null) {
      errors.push({
        field: `extension.${secret.field}`,
        message: `must be text of at most ${SECRET_LIMIT} characters, without control characters`,
      });
      continue;
    }
    typed.push({ ...secret, value });
  }
  if (errors.length > 0) return err(errors);
  return ok({ settings: { ...input, extension: rest }, typed });
}

/** The typed secrets that differ from the ones kept. */
export const changedSecrets = (typed: readonly TypedSecret[], store: SecretStore) =>
  typed.filter((secret) => store.get(secret.secret) !== secret.value);

/**
 * Keeps `changed` in the store, all or none: a failure puts back what was written. The
 * answer undoes them all, for a settings file that then cannot be saved.
 */
export async function keepSecrets(
  changed: readonly TypedSecret[],
  store: SecretStore,
): Promise<Result<() => Promise<void>, FieldError>> {
  const previous = changed.map((secret) => ({
    name: secret.secret,
    value: store.get(secret.secret),
  }));
  const undo = async () => {
    for (const { name, value } of [...previous].reverse()) {
      await (value === null ? store.delete(name) : store.set(name, value));
    }
  };
  for (const secret of changed) {
    const stored = await store.set(secret.secret, secret.value);
    if (!stored.ok) {
      await undo();
      return err({
        field: `extension.${secret.field}`,
        message: `could not be kept: ${stored.error}`,
      });
    }
  }
  return ok(undo);
}
