package io.geolake.generator;

/** A place whose visits model X predicts: a circle around a point. */
record PlaceOfInterest(String id, String name, GeoPoint centre, double radiusMetres) {}
