const CODE_FIELDS = ['error', 'code', 'reason', 'errorCode', 'error_code'] as const;
const MESSAGE_FIELDS = ['message', 'detail', 'error_description', 'title', 'Message'] as const;
const MAX_DETAIL_LENGTH = 300;
const CODE_SHAPE = /^[a-z][a-z0-9_]{0,63}$/i;

export interface ErrorBody {
  readonly code?: string;
  readonly message?: string;
}

type JsonRecord = Record<string, unknown>;
const isRecord = (value: unknown): value is JsonRecord =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function strings(records: readonly JsonRecord[], fields: readonly string[]): string[] {
  return records.flatMap((record) =>
    fields.map((field) => record[field]).filter((v): v is string => typeof v === 'string' && v.trim() !== ''),
  );
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
  if (!isRecord(json)) return {};
  // Some gateways nest the details: {"error": {"code": "...", "message": "..."}}
  const records = [json, ...CODE_FIELDS.map((field) => json[field]).filter(isRecord)];
  const codeCandidates = strings(records, CODE_FIELDS).map((s) => s.trim());
  const code = codeCandidates.find((candidate) => CODE_SHAPE.test(candidate));
  // A sentence in a code field ("error": "Something broke") is a message, not a code.
  const message = [
    ...strings(records, MESSAGE_FIELDS),
    ...codeCandidates.filter((c) => !CODE_SHAPE.test(c)),
  ][0]?.trim();
  return {
    ...(code !== undefined && { code: code.toLowerCase() }),
    ...(message !== undefined && { message: message.slice(0, MAX_DETAIL_LENGTH) }),
  };
}
