package io.geolake.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mexico City as the generator sees it: homes spread over the metro area, work concentrated in
 * business districts, and a fixed set of places people visit (malls, parks, markets).
 */
final class City {
  /** Zócalo. */
  private static final GeoPoint CENTRE = new GeoPoint(19.4326, -99.1332);

  private static final List<GeoPoint> BUSINESS_DISTRICTS =
      List.of(
          new GeoPoint(19.4270, -99.1677), // Reforma
          new GeoPoint(19.4330, -99.1910), // Polanco
          new GeoPoint(19.3590, -99.2610), // Santa Fe
          new GeoPoint(19.4340, -99.1410), // Centro
          new GeoPoint(19.3960, -99.1730)); // Insurgentes Sur

  /**
   * Places of interest (malls) whose visits model X predicts; they are also what the demo's
   * geofences file describes. Fixed, away from the business districts.
   */
  static final List<PlaceOfInterest> PLACES_OF_INTEREST =
      List.of(
          new PlaceOfInterest("poi-01", "Mall Norte", new GeoPoint(19.4880, -99.1850), 150),
          new PlaceOfInterest("poi-02", "Mall Oriente", new GeoPoint(19.4110, -99.0740), 150),
          new PlaceOfInterest("poi-03", "Mall Sur", new GeoPoint(19.3030, -99.1900), 200),
          new PlaceOfInterest("poi-04", "Mall Coyoacán", new GeoPoint(19.3450, -99.1420), 150),
          new PlaceOfInterest("poi-05", "Mall Poniente", new GeoPoint(19.3720, -99.2200), 150),
          new PlaceOfInterest("poi-06", "Mall Centro", new GeoPoint(19.4480, -99.1230), 120));

  /** Declared after the constants its constructor reads. */
  static final City MEXICO_CITY = new City();

  private final List<GeoPoint> places = new ArrayList<>();

  private City() {
    // A fixed, seed-independent set of 40 places so that all runs share the same geography.
    SplittableRandom rng = new SplittableRandom(19_4326L);
    for (int i = 0; i < 40; i++) {
      places.add(CENTRE.offsetMetres(gaussian(rng) * 7_000, gaussian(rng) * 7_000));
    }
  }

  List<GeoPoint> places() {
    return List.copyOf(places);
  }

  GeoPoint randomHome(SplittableRandom rng) {
    return CENTRE.offsetMetres(gaussian(rng) * 8_000, gaussian(rng) * 8_000);
  }

  GeoPoint randomWork(SplittableRandom rng) {
    GeoPoint district = BUSINESS_DISTRICTS.get(rng.nextInt(BUSINESS_DISTRICTS.size()));
    return district.offsetMetres(gaussian(rng) * 1_500, gaussian(rng) * 1_500);
  }

  List<GeoPoint> randomFavourites(SplittableRandom rng, int count) {
    List<GeoPoint> favourites = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      favourites.add(places.get(rng.nextInt(places.size())));
    }
    return favourites;
  }

  static double gaussian(SplittableRandom rng) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
