package io.geolake.cli.command;

import io.geolake.cli.output.ModelPrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.model.TrainResult;
import io.geolake.pipeline.model.TrainStep;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake train --as-of DATE}: train, register and maybe promote a version of model X. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train model X on consumption.device_profiles and consumption.visits as of a cut-off date.",
      "Uses no data after --as-of. The new version is registered on the warehouse storage and goes live",
      "only if its hold-out AUC-ROC is not worse than the live version's on the same hold-out (model.promotion-tolerance)."
    })
public final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "Cut-off date: the last day whose data training may use.")
  LocalDate asOf;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    TrainResult result = new TrainStep(Lakehouse.open(config), config).train(asOf);
    ModelPrinter.trained(result, spec.commandLine().getOut());
    return 0;
  }
}
