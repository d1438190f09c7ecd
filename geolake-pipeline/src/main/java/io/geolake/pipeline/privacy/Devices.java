package io.geolake.pipeline.privacy;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.features.Pseudonyms;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Devices named in a person's request: their ids as delivered and their pseudonyms in the consumption layer. */
public record Devices(List<String> ids, List<String> pseudonyms) {
  public Devices {
    ids = List.copyOf(ids);
    pseudonyms = List.copyOf(pseudonyms);
  }

  /** The named devices with their pseudonyms under {@code features.pseudonym-key}. */
  public static Devices of(List<String> ids, GeolakeConfig config) {
    if (ids.isEmpty() || ids.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("Name the devices by their device ids (not blank)");
    }
    byte[] key = config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8);
    return new Devices(ids, ids.stream().map(id -> Pseudonyms.of(key, id)).toList());
  }
}
