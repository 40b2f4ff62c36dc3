/**
 * Every broken rule is a DomainError with a stable code. The HTTP edge maps the subclass to a status;
 * the code is what clients and tests rely on, the message is for people.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command is not allowed in the aggregate's current state (HTTP 409). */
export class IllegalStateError extends DomainError {}

/** The command itself is malformed or breaks a value rule (HTTP 400). */
export class ValidationError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly fields: ReadonlyArray<{ readonly path: string; readonly message: string }> = [],
  ) {
    super(code, message, { fields });
  }
}

/** The file does not exist (HTTP 404). */
export class NotFoundError extends DomainError {}

/** The caller's identity does not allow this (HTTP 403). */
export class ForbiddenError extends DomainError {}

/** The caller has no verified identity (HTTP 401). */
export class UnauthenticatedError extends DomainError {}

/** The stream is not at the version the writer expected (HTTP 409, or 412 with If-Match). */
export class WrongExpectedVersionError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number,
  ) {
    super('WRONG_EXPECTED_VERSION', `stream ${streamId} is at version ${actual}, the writer expected ${expected}`, {
      streamId,
      expected,
      actual,
    });
  }
}

/** Some but not all events of an append were already stored: a retry that changed its batch. */
export class IdempotencyConflictError extends DomainError {}

/** A dependency (database, broker) is unavailable; the caller may retry later (HTTP 503). */
export class UnavailableError extends DomainError {}

/** A value rule broken by one field: the field's message is the error's. */
export const invalidField = (code: string, path: string, message: string): ValidationError =>
  new ValidationError(code, message, [{ path, message }]);
