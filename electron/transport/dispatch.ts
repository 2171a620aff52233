// The single door every transport goes through: parse the input, run the handler, parse the output, wrap the result.
import { kioskApi, type KioskHandlers, type Result } from '../../shared/contract';
import { KioskError } from '../../shared/errors';
import { isMethodName } from '../../shared/methods';

/**
 * Calls `method` on `handlers` with an untrusted `input`. Input and output are both parsed
 * against the contract, so only the fields the contract declares ever leave the engine.
 * `onInternalError` sees unexpected exceptions (to log them); the caller only gets `internal`.
 */
export async function dispatch(
  handlers: KioskHandlers,
  method: string,
  input: unknown,
  onInternalError: (error: unknown) => void = () => {},
): Promise<Result<unknown>> {
  if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', params: {} } };
  const spec = kioskApi[method];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? '';
    return { ok: false, error: { code: 'invalid_input', params: { field } } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    const value = spec.output.parse(await handler(parsed.data));
    return { ok: true, value };
  } catch (error) {
    if (error instanceof KioskError) return { ok: false, error: error.toShape() };
    onInternalError(error);
    return { ok: false, error: { code: 'internal', params: {} } };
  }
}
