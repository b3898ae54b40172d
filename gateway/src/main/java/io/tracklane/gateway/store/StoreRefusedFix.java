package io.tracklane.gateway.store;

/**
 * The store refused one fix for a reason no retry can cure, after its batch was split down to it:
 * its batch neighbours were written. {@link #invalidItem()}: DynamoDB judged the item itself
 * invalid (a ValidationException), i.e. the payload carried a value it cannot hold.
 */
public final class StoreRefusedFix extends RuntimeException {
  private final long ts;
  private final boolean invalidItem;

  public StoreRefusedFix(long ts, String storeMessage, boolean invalidItem) {
    super(storeMessage, null, false, false);
    this.ts = ts;
    this.invalidItem = invalidItem;
  }

  /** The refused fix's timestamp: its identity within the payload. */
  public long ts() {
    return ts;
  }

  public boolean invalidItem() {
    return invalidItem;
  }
}
