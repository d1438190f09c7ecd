package io.geolake.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One change of the live version of model X, kept in the registry's live.json so that "why does
 * this version score?" has an answer.
 *
 * @param previous the version live before, null for the first
 * @param by who made the change: {@code geolake train} for a training run's promotion, else the
 *     operator ({@code cli: <user>}, {@code api: <user>})
 * @param reason the promotion decision of a training run, or the operator's words
 */
public record LiveChange(
    @JsonProperty("version") String version,
    @JsonProperty("previous") String previous,
    @JsonProperty("at") Instant at,
    @JsonProperty("by") String by,
    @JsonProperty("reason") String reason) {}
