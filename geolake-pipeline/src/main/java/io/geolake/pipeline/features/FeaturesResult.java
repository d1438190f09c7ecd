package io.geolake.pipeline.features;

import java.time.LocalDate;

/**
 * What the features step recomputed for one delivery.
 *
 * @param devices devices whose stay points were recomputed (those with new or changed pings)
 * @param stayPoints stay points written for them
 * @param visits visits to places of interest written for them
 * @param from first event day whose daily features were recomputed
 * @param to last event day whose daily features were recomputed
 * @param featureRows device-day rows written for [from, to]
 * @param presenceRows cell-hour rows written for [from, to], after k-suppression
 * @param profileRows device profiles written for feature dates [from, delivery date]
 * @param tracksReadFrom earliest ping stay detection read (staging was read from there), or null
 *     when some device needed its whole track
 */
public record FeaturesResult(
        long devices,
    long stayPoints,
    long visits,
    LocalDate from,
    LocalDate to,
    long featureRows,
    long presenceRows,
    long profileRows,
    java.time.Instant tracksReadFrom) {}
