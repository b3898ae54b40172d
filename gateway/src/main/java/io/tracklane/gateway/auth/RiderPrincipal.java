package io.tracklane.gateway.auth;

/** Who a verified token speaks for: its subject (the user id) and role (admin, manager, rider). */
public record RiderPrincipal(String subject, String role) {
  public static final String RIDER = "rider";

  public boolean isRider() { return RIDER.equals(role); }
}
