const CODE_FIELDS = ['error', 'code', 'reason', 'errorCode', 'error_code'] as const;
const MESSAGE_FIELDS = ['message', 'detail', 'error_description', 'title', 'Message'] as const;
const MAX_DETAIL_LENGTH = 300;

export interface ErrorBody {
  readonly code?: string;
  readonly message?: string;
}

function firstString(record: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = record[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    // Some gateways nest the code: {"error": {"code": "...", "message": "..."}}
    if (value !== null && typeof value === 'object') {
      const nested = firstString(value as Record<string, unknown>, fields);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

/**
 * Reads an error body without trusting it: the docs do not say which field holds the code,
 * and 401/404 bodies may be empty or not JSON at all.
 */
export function parseErrorBody(text: string): ErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return {};
  const record = json as Record<string, unknown>;
  const code = firstString(record, CODE_FIELDS);
  const message = firstString(record, MESSAGE_FIELDS);
  return {
    ...(code !== undefined && /^[a-z][a-z0-9_]{0,63}$/i.test(code) && { code: code.toLowerCase() }),
    ...(message !== undefined && message !== code && { message: message.slice(0, MAX_DETAIL_LENGTH) }),
  };
}
