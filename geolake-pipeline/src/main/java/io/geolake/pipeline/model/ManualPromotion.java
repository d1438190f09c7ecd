package io.geolake.pipeline.model;

import io.geolake.core.config.GeolakeConfig;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An operator making a registered version of model X live by hand: to roll back to an earlier
 * version when the live one misbehaves, or to move off a version that learned from reverted runs.
 * Training promotes on hold-out numbers; here the operator decides, so the registry records who did
 * it and why.
 *
 * <p>Refused, naming what to do instead, when the version could not score today's profiles (other
 * features, a model that does not load) — always — or when it predicts another horizon than
 * {@code model.horizon-days} or learned from rows of runs taken back since: unless forced.
 */
public final class ManualPromotion {
  private final ModelRegistry registry;
  private final GeolakeConfig.Model settings;

  public ManualPromotion(ModelRegistry registry, GeolakeConfig.Model settings) {
    this.registry = registry;
    this.settings = settings;
  }

  /** What happened: the change made, or none when the version was live already. */
  public record Result(ModelVersion version, Optional<LiveChange> change) {}

  /**
   * @param by who asks ({@code cli: <user>}, {@code api: <user>})
   * @param force make it live despite another horizon or reverted runs it learned from
   * @throws IllegalArgumentException for an unknown version or a blank reason
   * @throws PromotionRefusedException when the version cannot or should not score
   */
  public Result makeLive(String versionName, String by, String reason, boolean force) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("Say why " + versionName + " should be live (--reason TEXT): the registry keeps it with the change.");
    }
    List<ModelVersion> versions = registry.versions();
    ModelVersion version =
        versions.stream()
            .filter(v -> v.version().equals(versionName))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No version " + versionName + " of model X in " + registry.location() + "; "
                + (versions.isEmpty() ? "none is registered yet (geolake train --as-of YYYY-MM-DD)." : "registered: "
                    + versions.stream().map(ModelVersion::version).collect(Collectors.joining(", ")) + " (geolake models).")));
    if (registry.live().map(v -> v.version().equals(versionName)).orElse(false)) {
      return new Result(version, Optional.empty());
    }
    List<String> features = ModelFeatures.names();
    if (!features.equals(version.features())) {
      throw new PromotionRefusedException("Model X " + versionName + " was trained on the features " + version.features()
          + ", and the profiles now give " + features + ": it cannot score them. Train a new version (geolake train --as-of YYYY-MM-DD).");
    }
    try {
      registry.load(versionName);
    } catch (RuntimeException e) {
      throw new PromotionRefusedException("Model X " + versionName + " cannot be loaded from " + registry.location() + ": " + e.getMessage()
          + ". Train a new version or make another one live.");
    }
    if (!force && version.horizonDays() != settings.horizonDays()) {
      throw new PromotionRefusedException("Model X " + versionName + " predicts visits within " + version.horizonDays() + " day(s), and"
          + " model.horizon-days is " + settings.horizonDays() + ": its scores would mean something else than the other versions'."
          + " Force it (--force) if that is what you want, or train a version with the configured horizon.");
    }
    List<String> reverted = registry.revertedRunsLearnedFrom(versionName);
    if (!force && !reverted.isEmpty()) {
      throw new PromotionRefusedException("Model X " + versionName + " learned from rows of run(s) " + String.join(", ", reverted)
          + ", taken back since (geolake revert). Make a version live that did not, train a new one, or force it (--force).");
    }
    return new Result(version, Optional.of(registry.makeLive(versionName, by, reason.strip())));
  }
}
