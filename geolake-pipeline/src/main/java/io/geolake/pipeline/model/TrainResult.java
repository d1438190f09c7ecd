package io.geolake.pipeline.model;

import java.time.Duration;

/** What {@code geolake train} did: the version it registered and whether it went live. */
public record TrainResult(ModelVersion version, String previousLive, Duration took) {}
