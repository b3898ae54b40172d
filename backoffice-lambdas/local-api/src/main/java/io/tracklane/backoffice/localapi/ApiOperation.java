package io.tracklane.backoffice.localapi;

/**
 * One operation of the served document.
 *
 * @param method upper case, e.g. {@code PUT}
 * @param path the resource template, e.g. {@code /routes/{routeId}} (API Gateway's {@code
 *     resource})
 * @param function the Lambda function serving it ({@code x-tracklane-function})
 * @param secured whether the authorizer runs first ({@code security: [{tracklaneAuth: []}]})
 */
public record ApiOperation(String method, String path, String function, boolean secured) {
  /** "PUT /routes/{routeId}", the key {@code ApiHandler} dispatches on. */
  public String key() {
    return method + " " + path;
  }
}
