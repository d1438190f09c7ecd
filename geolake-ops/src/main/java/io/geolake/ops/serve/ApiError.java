package io.geolake.ops.serve;

/** An answer of the HTTP API other than 200, with the message the caller sees. */
final class ApiError extends RuntimeException {
  final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }
}
