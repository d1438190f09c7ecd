package io.geolake.generator;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A synthetic phone with its owner's anchors: home, work (or none) and favourite places. Dense
 * devices report every few seconds to minutes (navigation, fitness apps); sparse ones report a
 * few times an hour, as advertising SDKs do.
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
    boolean dense) {

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
        rng.nextDouble() < 0.3);
  }
}
