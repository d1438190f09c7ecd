package io.geolake.core.rules;

/**
 * Why a raw row did not reach staging. A row gets the first failing reason in this order. Codes
 * are stable: alerts and dashboards key on them.
 */
public enum QuarantineReason {
  MISSING_DEVICE_ID("missing_device_id", "device_id is missing or blank.", false),
  PLACEHOLDER_DEVICE_ID(
      "placeholder_device_id",
      "device_id stands for no one device: all zeros (the advertising id iOS sends without tracking consent, Android after an opt-out) or one of rules.placeholder-device-id.values.",
      true),
  INVALID_COORDINATES("invalid_coordinates", "latitude or longitude is missing or not a number.", false),
  COORDINATES_OUT_OF_RANGE("coordinates_out_of_range", "latitude outside [-90, 90] or longitude outside [-180, 180].", false),
  NULL_ISLAND("null_island", "Coordinates are exactly (0, 0). Switch: rules.null-island.enabled.", true),
  INVALID_ACCURACY("invalid_accuracy", "horizontal_accuracy is present but not a non-negative number.", false),
  LOW_ACCURACY("low_accuracy", "horizontal_accuracy above rules.accuracy.max-metres.", true),
  INVALID_TIMESTAMP("invalid_timestamp", "event_ts is missing or neither epoch seconds/millis/micros nor ISO-8601.", false),
  FUTURE_TIMESTAMP("future_timestamp", "event_ts after the end of the delivery day plus rules.event-time.future-tolerance.", false),
  TIMESTAMP_BEFORE_FLOOR("timestamp_before_floor", "event_ts before rules.event-time.not-before.", false),
  SPEED_JUMP("speed_jump", "Implied speed from the previous and to the next ping both above rules.speed-jump.max-metres-per-second.", true),
  TOO_LATE("too_late", "Event date older than the delivery date minus staging.lookback-days (policy staging.too-late-policy).", true);

  private final String code;
  private final String description;
  private final boolean switchable;

  QuarantineReason(String code, String description, boolean switchable) {
    this.code = code;
    this.description = description;
    this.switchable = switchable;
  }

  public String code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** Whether config can turn this rule off; the others guard typing and cannot be skipped. */
  public boolean switchable() {
    return switchable;
  }
}
