package io.geolake.core.mobility;

/** One ping of a device's track: event time in epoch seconds (may be fractional) and position. */
public record TrackPoint(double epochSecond, double latitude, double longitude) {}
