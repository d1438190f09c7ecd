package io.geolake.cli.command;

import io.geolake.cli.output.ModelPrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.MonitoredTraining;
import io.geolake.ops.alert.Alerter;
import io.geolake.pipeline.model.TrainResult;
import io.geolake.pipeline.model.TrainStep;
import io.geolake.pipeline.model.TrainingCutOff;
import io.geolake.pipeline.run.RunStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake train --as-of DATE | --latest}: train, register and maybe promote a version of model X. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train model X on consumption.device_profiles and consumption.visits as of a cut-off date.",
      "Uses no data after --as-of. The new version is registered on the warehouse storage and goes live "
          + "only if it is not worse than the live version on the same hold-out (model.promotion-metric, AUC-ROC by default; model.promotion-tolerance). "
          + "--latest, for schedulers (cron, Step Functions), trains as of the newest date whose latest run succeeded, and "
          + "does nothing (exit 0) when a version is already trained as of that date, or while the lake is too young to "
          + "hold a training date (says from which date it can). "
          + "A failure raises a \"training failed\" incident on the alert channels (alerts.*); the next training that succeeds closes it."
    })
public final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  CutOff cutOff;

  /** Exactly one of the two. */
  static final class CutOff {
    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "Cut-off date: the last day whose data training may use.")
    LocalDate asOf;

    @Option(names = "--latest", required = true, description = "Cut off at the newest date whose latest run succeeded.")
    boolean latest;
  }

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    TrainStep train = new TrainStep(Lakehouse.open(config), config);
    RunStore store = new RunStore(config);
    PrintWriter out = spec.commandLine().getOut();
    // Run by cron or a scheduler, training fails unattended: like serve's, it raises an incident,
    // and closes serve's or its own once it succeeds.
    Clock clock = Clock.systemUTC();
    MonitoredTraining monitored =
        new MonitoredTraining(train::train, () -> TrainingCutOff.pick(store, train.registry(), config.model()), new Alerter(config, store, clock), clock,
            config.serve().timeZone(), out::println);
    Optional<TrainResult> trained = cutOff.latest ? monitored.trainLatest() : Optional.of(monitored.train(cutOff.asOf));
    trained.ifPresent(result -> ModelPrinter.trained(result, out));
    return 0;
  }
}
