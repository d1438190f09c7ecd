package io.geolake.generator;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A synthetic phone with its owner's anchors: home, work (or none) and favourite places. Dense
 * devices report every few seconds to minutes (navigation, fitness apps); sparse ones report a
 * few times an hour, as advertising SDKs do.
 *
 * <p>The relation model X has to learn: a quarter of the owners are mall regulars, who go to a
 * place of interest on a given day with probability {@link #REGULAR_VISIT_RATE} (mostly their own
 * mall), the others with {@link #OCCASIONAL_VISIT_RATE}; regulars also go out to their favourite
 * places more often. Being a regular is not in the data; it shows only through behaviour — past
 * visits, their dwell and recency, more stays and a wider radius of gyration.
 */
record Device(
    int index,
    String id,
    String idType,
    String platform,
    String osVersion,
    String appId,
    String ipAddress,
    GeoPoint home,
    GeoPoint work,
    List<GeoPoint> favourites,
    boolean dense,
    double visitRate,
    PlaceOfInterest mall) {

  static final double REGULAR_SHARE = 0.25;
  static final double REGULAR_VISIT_RATE = 0.6;
  static final double OCCASIONAL_VISIT_RATE = 0.02;

  boolean regular() {
    return visitRate == REGULAR_VISIT_RATE;
  }

  private static final String[] APPS = {
    "com.example.weather", "com.example.transit", "com.example.news", "com.example.games",
    "com.example.shopping"
  };

  static Device create(long seed, int index, City city) {
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
    boolean ios = rng.nextDouble() < 0.45;
    String uuid = new UUID(rng.nextLong(), rng.nextLong()).toString();
    GeoPoint home = city.randomHome(rng);
    GeoPoint work = rng.nextDouble() < 0.8 ? city.randomWork(rng) : null;
    List<GeoPoint> favourites = city.randomFavourites(rng, 1 + rng.nextInt(3));
    return new Device(
        index,
        ios ? uuid.toUpperCase(java.util.Locale.ROOT) : uuid,
        ios ? "idfa" : "aaid",
        ios ? "ios" : "android",
        ios ? "17." + rng.nextInt(6) : String.valueOf(12 + rng.nextInt(3)),
        APPS[rng.nextInt(APPS.length)],
        "189." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + (1 + rng.nextInt(254)),
        home,
        work,
        favourites,
        rng.nextDouble() < 0.3,
        rng.nextDouble() < REGULAR_SHARE ? REGULAR_VISIT_RATE : OCCASIONAL_VISIT_RATE,
        City.PLACES_OF_INTEREST.get(rng.nextInt(City.PLACES_OF_INTEREST.size())));
  }
}
