package io.tracklane.backoffice.common;

import java.util.List;

/** An expected refusal, turned into an HTTP error response by {@link ApiHandler}. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<FieldError> errors;

  public ApiException(int status, String code, String message, List<FieldError> errors) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.errors = List.copyOf(errors);
  }

  public static ApiException badRequest(String message, List<FieldError> errors) {
    return new ApiException(400, "invalid_request", message, errors);
  }

  public static ApiException badRequest(String message) {
    return badRequest(message, List.of());
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message, List.of());
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message, List.of());
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, List.of());
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message, List.of());
  }

  public static ApiException tooManyRequests(String message) {
    return new ApiException(429, "too_many_requests", message, List.of());
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
