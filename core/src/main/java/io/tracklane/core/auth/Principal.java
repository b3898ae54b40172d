package io.tracklane.core.auth;

/** Who a verified token speaks for: its subject (the user id) and role (admin, manager, rider). */
public record Principal(String subject, String role) {
  public static final String ADMIN = "admin";
  public static final String MANAGER = "manager";
  public static final String RIDER = "rider";

  public boolean isRider() {
    return RIDER.equals(role);
  }
}
