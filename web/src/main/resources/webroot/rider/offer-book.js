// The rider's list of task offers, kept from the gateway's offer events (GET /v1/offers, see
// docs/gateway.md "Task offers"): a snapshot after every (re)connection, then offer, taken and
// withdrawn events. No DOM here.

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle metres between two {lat, lon}. */
export function haversineM(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

export class OfferBook {
  constructor() {
    this.offers = new Map();
    this.incoming = null; // the snapshot being received
  }

  /** A new connection: its snapshot replaces the list once complete. */
  connecting() {
    this.incoming = new Map();
  }

  /**
   * Applies one event. Returns what happened to the list: `{ kind: 'offer'|'removed'|'snapshot'|'none', taskId, event }`.
   */
  apply(event, receivedAt = Date.now()) {
    switch (event?.event) {
      case 'offer': {
        const offer = { ...event, receivedAt };
        (this.incoming ?? this.offers).set(event.taskId, offer);
        return { kind: this.incoming ? 'none' : 'offer', taskId: event.taskId, event };
      }
      case 'snapshot_complete':
        if (this.incoming) {
          // keep the first arrival time of offers already shown
          for (const [id, o] of this.incoming) o.receivedAt = this.offers.get(id)?.receivedAt ?? o.receivedAt;
          this.offers = this.incoming;
          this.incoming = null;
        }
        return { kind: 'snapshot', event };
      case 'taken':
      case 'withdrawn': {
        this.incoming?.delete(event.taskId);
        const had = this.offers.delete(event.taskId);
        return { kind: had ? 'removed' : 'none', taskId: event.taskId, event };
      }
      default:
        return { kind: 'none', event };
    }
  }

  /** Takes an offer off the list (the rider lost the race, or won it). */
  remove(taskId) {
    this.incoming?.delete(taskId);
    return this.offers.delete(taskId);
  }

  get(taskId) {
    return this.offers.get(taskId) ?? null;
  }

  /**
   * Metres to the route's start: the gateway's distanceM when it sent one (the rider's recent
   * fix), else from `here` (the device's position) when known, else null.
   */
  static distance(offer, here) {
    if (typeof offer.distanceM === 'number') return offer.distanceM;
    const start = offer.route?.start;
    if (here && start && Number.isFinite(start.lat) && Number.isFinite(start.lon)) return haversineM(here, start);
    return null;
  }

  /** The offers, nearest first (unknown distance last) or highest bonus first. */
  sorted(by = 'distance', here = null) {
    const list = [...this.offers.values()];
    const bonus = (o) => Number.parseFloat(o.bonusAmount) || 0;
    const dist = (o) => OfferBook.distance(o, here) ?? Infinity;
    const byDistance = (a, b) => dist(a) - dist(b) || bonus(b) - bonus(a) || a.taskId.localeCompare(b.taskId);
    const byBonus = (a, b) => bonus(b) - bonus(a) || dist(a) - dist(b) || a.taskId.localeCompare(b.taskId);
    return list.sort(by === 'bonus' ? byBonus : byDistance);
  }
}
