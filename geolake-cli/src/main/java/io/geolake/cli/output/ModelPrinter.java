package io.geolake.cli.output;

import io.geolake.pipeline.model.LiveChange;
import io.geolake.pipeline.model.ManualPromotion;
import io.geolake.pipeline.model.ModelMetrics;
import io.geolake.pipeline.model.ModelVersion;
import io.geolake.pipeline.model.TrainResult;
import java.io.PrintWriter;
import java.util.List;

/** Prints model X versions and training outcomes. */
public final class ModelPrinter {
  private ModelPrinter() {}

  public static void trained(TrainResult result, PrintWriter out) {
    ModelVersion v = result.version();
    out.printf("model X %s (%s, horizon %d day%s), trained as of %s in %.1f s%n",
        v.version(), v.algorithm(), v.horizonDays(), v.horizonDays() == 1 ? "" : "s", v.asOf(), result.took().toMillis() / 1000.0);
    out.printf("  training   feature dates %s..%s: %,d examples, %.1f%% positive%n",
        v.trainFrom(), v.trainTo(), v.trainingRows(), 100 * v.trainingPositiveRate());
    out.printf("  hold-out   feature dates %s..%s: %s%n", v.holdoutFrom(), v.holdoutTo(), metrics(v.metrics()));
    if (v.liveOnSameHoldout() != null) {
      out.printf("  live %s on the same hold-out: %s%n", result.previousLive(), metrics(v.liveOnSameHoldout()));
    }
    out.printf("  decision   %s%n", v.decision());
    out.flush();
  }

  public static String metrics(ModelMetrics m) {
    return String.format("AUC-ROC %.3f, AUC-PR %.3f, log-loss %.3f, positive rate %.1f%% of %,d", m.aucRoc(), m.aucPr(), m.logLoss(), 100 * m.positiveRate(), m.rows());
  }

  /** @param revertedRuns a version's runs taken back since it learned from them */
  public static void versions(List<ModelVersion> versions, String live, java.util.function.Function<String, List<String>> revertedRuns, PrintWriter out) {
    TablePrinter table = new TablePrinter(List.of(
        "version", "live", "as of", "algorithm", "horizon", "train rows", "hold-out", "AUC-ROC", "AUC-PR", "log-loss", "positive rate", "created",
        "learned from reverted runs"));
    for (ModelVersion v : versions) {
      table.add(
          List.of(
              v.version(),
              v.version().equals(live) ? "*" : "",
              v.asOf().toString(),
              v.algorithm(),
              v.horizonDays() + "d",
              String.format("%,d", v.trainingRows()),
              v.holdoutFrom() + ".." + v.holdoutTo(),
              String.format("%.3f", v.metrics().aucRoc()),
              String.format("%.3f", v.metrics().aucPr()),
              String.format("%.3f", v.metrics().logLoss()),
              String.format("%.3f", v.metrics().positiveRate()),
              v.createdAt().toString(),
              String.join(", ", revertedRuns.apply(v.version()))));
    }
    table.print(out);
    out.flush();
  }

  /** The last change of the live version, under the versions table. */
  public static void liveSince(LiveChange change, PrintWriter out) {
    out.printf("%s live since %s, made live by %s: %s%n", change.version(), change.at(), change.by(), change.reason());
  }

  public static void liveHistory(List<LiveChange> changes, PrintWriter out) {
    if (changes.isEmpty()) {
      out.println("No changes of the live version recorded (the registry predates the history).");
      return;
    }
    out.println();
    TablePrinter table = new TablePrinter(List.of("at", "live", "before", "by", "reason"));
    for (LiveChange c : changes) {
      table.add(List.of(c.at().toString(), c.version(), c.previous() == null ? "" : c.previous(), c.by(), c.reason()));
    }
    table.print(out);
  }

  public static void promoted(ManualPromotion.Result result, PrintWriter out) {
    LiveChange change = result.change().orElseThrow();
    out.printf("Model X %s is live (was %s): %s%n", change.version(), change.previous() == null ? "none" : change.previous(),
        metrics(result.version().metrics()));
    out.println("  The next daily runs score with it; dates already scored keep their scores until they run again (geolake run --date D --force).");
  }
}
