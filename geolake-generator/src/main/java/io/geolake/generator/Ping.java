package io.geolake.generator;

/**
 * One delivered ping, typed. Text faults are carried as overrides that writers of text formats
 * print instead of the typed value.
 *
 * @param accuracy metres, or null when the vendor did not send it
 * @param epochSecond event time, whole seconds (UTC)
 * @param latitudeText when not null, printed instead of the latitude (a wrongly typed value)
 * @param malformed when true, text writers print a line that does not parse
 */
record Ping(
    Device device,
    double latitude,
    double longitude,
    Double accuracy,
    long epochSecond,
    String latitudeText,
    boolean malformed) {

  static Ping of(Device device, double latitude, double longitude, Double accuracy, long epochSecond) {
    return new Ping(device, latitude, longitude, accuracy, epochSecond, null, false);
  }

  Ping at(double lat, double lon) {
    return new Ping(device, lat, lon, accuracy, epochSecond, latitudeText, malformed);
  }

  Ping withAccuracy(Double value) {
    return new Ping(device, latitude, longitude, value, epochSecond, latitudeText, malformed);
  }

  Ping withEpochSecond(long value) {
    return new Ping(device, latitude, longitude, accuracy, value, latitudeText, malformed);
  }

  Ping withLatitudeText(String text) {
    return new Ping(device, latitude, longitude, accuracy, epochSecond, text, malformed);
  }

  Ping asMalformed() {
    return new Ping(device, latitude, longitude, accuracy, epochSecond, latitudeText, true);
  }
}
